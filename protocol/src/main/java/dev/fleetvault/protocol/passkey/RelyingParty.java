package dev.fleetvault.protocol.passkey;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The WebAuthn relying party of an app (PROTOCOL.md 21.7): its rp id and the origins its pages are
 * served from. Members copy it into a passkey entry's sealed record at registration.
 *
 * <h2>Guarantees</h2>
 *
 * Validated on construction: the rp id is a lower-case host name of 1..{@value #MAX_RP_ID} bytes;
 * 1..{@value #MAX_ORIGINS} origins, each {@code scheme://host[:port]} of at most {@value
 * #MAX_ORIGIN} bytes, {@code https} — or {@code http} for {@code localhost} and {@code 127.0.0.1}
 * only — with no path, query or fragment.
 *
 * @param rpId the rp id (e.g. {@code app.example})
 * @param origins the allowed origins (e.g. {@code https://app.example})
 */
public record RelyingParty(String rpId, List<String> origins) {
  /** Longest rp id (a DNS name). */
  public static final int MAX_RP_ID = 253;

  /** Most origins. */
  public static final int MAX_ORIGINS = 8;

  /** Longest origin. */
  public static final int MAX_ORIGIN = 200;

  /** Validates; see the type's guarantees. */
  public RelyingParty {
    Objects.requireNonNull(rpId, "rpId");
    origins = List.copyOf(Objects.requireNonNull(origins, "origins"));
    int len = rpId.getBytes(StandardCharsets.UTF_8).length;
    if (len < 1 || len > MAX_RP_ID || !rpId.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "passkey rp_id must be a lower-case host name of 1.." + MAX_RP_ID + " characters");
    }
    if (origins.isEmpty() || origins.size() > MAX_ORIGINS) {
      throw new IllegalArgumentException("passkey origins: 1.." + MAX_ORIGINS + " origins");
    }
    for (String o : origins) {
      checkOrigin(o);
    }
  }

  private static void checkOrigin(String o) {
    if (o == null || o.isEmpty() || o.getBytes(StandardCharsets.UTF_8).length > MAX_ORIGIN) {
      throw new IllegalArgumentException("passkey origin must be 1.." + MAX_ORIGIN + " bytes");
    }
    URI u;
    try {
      u = new URI(o);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("passkey origin '" + o + "' is not a URI");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme();
    String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
    boolean local = host.equals("localhost") || host.equals("127.0.0.1");
    if (!(scheme.equals("https") || (scheme.equals("http") && local))
        || host.isEmpty()
        || (u.getRawPath() != null && !u.getRawPath().isEmpty())
        || u.getRawQuery() != null
        || u.getRawFragment() != null
        || u.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "passkey origin '"
              + o
              + "' must be https://host[:port]"
              + " (http only for localhost and 127.0.0.1), without path, query or fragment");
    }
  }
}
