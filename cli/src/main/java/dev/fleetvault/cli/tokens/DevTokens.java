package dev.fleetvault.cli.tokens;

import dev.fleetvault.client.TokenSupplier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mints app tokens the way an app's backend would (PROTOCOL.md section 15): compact JWS, ES256,
 * {@code iss} = app id, {@code aud} = the fleet's token audience, {@code sub} = user id (any string
 * of 1-128 UTF-8 bytes), {@code iat}, {@code exp}. The CLI uses it with the development app key
 * under {@code config/}; a real app keeps its key on its server and hands the SDK tokens. As {@link
 * TokenSupplier} asks, {@link #tokenFor} hands out the same token for a user until half its
 * lifetime has passed (nodes remember tokens they verified, so a fresh token per operation would
 * cost every node a signature verification each time).
 *
 * <p>Guarantees: every token is signed with the key given at construction and carries exactly the
 * claims above, {@code exp} = {@code iat} + the lifetime given; a user id outside 1-128 UTF-8 bytes
 * is refused; at most a bounded number of recent tokens is remembered; thread-safe. The private key
 * is never logged or put in an exception message. API for the CLI and for tests that need an app's
 * tokens (the development app key only; a production app mints its tokens on its own server).
 */
public final class DevTokens implements TokenSupplier {
  private static final int MAX_REMEMBERED = 10_000;
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final String appId;
  private final String audience;
  private final PrivateKey key;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Minted> recent = new ConcurrentHashMap<>();

  private record Minted(String token, long renewAfterEpochSeconds) {}

  /**
   * @param appId the app id (the {@code iss} the fleet's config lists)
   * @param audience the {@code aud} the fleet expects (its {@code apps[].audience}, default the
   *     fleet id)
   * @param key the app's P-256 private key
   * @param ttl token lifetime
   * @param clock time source for {@code iat}/{@code exp}
   */
  public DevTokens(String appId, String audience, PrivateKey key, Duration ttl, Clock clock) {
    this.appId = Objects.requireNonNull(appId, "appId");
    this.audience = Objects.requireNonNull(audience, "audience");
    this.key = Objects.requireNonNull(key, "key");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Reads a PKCS#8 PEM P-256 private key. */
  public static PrivateKey readPrivateKey(Path pem) throws IOException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    String b64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(pem + " is not a PKCS#8 PEM EC private key", e);
    }
  }

  /** A token for {@code user} valid for the configured lifetime. */
  public String mint(String user) {
    return mint(user, clock.instant().getEpochSecond() + ttl.toSeconds());
  }

  /** A token for {@code user} expiring at {@code expEpochSeconds} (tests use a past value). */
  public String mint(String user, long expEpochSeconds) {
    if (user == null || !validUserId(user)) {
      throw new IllegalArgumentException("a user id must be 1-128 bytes of UTF-8");
    }
    long now = clock.instant().getEpochSecond();
    String header = "{\"alg\":\"ES256\",\"typ\":\"JWT\"}";
    String claims =
        new io.vertx.core.json.JsonObject()
            .put("iss", appId)
            .put("aud", audience)
            .put("sub", user)
            .put("iat", now)
            .put("exp", expEpochSeconds)
            .encode();
    String signingInput =
        B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + B64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(key);
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64URL.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the token: " + e.getMessage(), e);
    }
  }

  /** 1-128 bytes of well-formed UTF-8 (PROTOCOL.md section 3.1). */
  static boolean validUserId(String user) {
    try {
      int n =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
              .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
              .encode(java.nio.CharBuffer.wrap(user))
              .remaining();
      return n >= 1 && n <= 128;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  @Override
  public CompletionStage<String> tokenFor(String user) {
    try {
      long now = clock.instant().getEpochSecond();
      Minted m = user == null ? null : recent.get(user);
      if (m == null || now >= m.renewAfterEpochSeconds()) {
        if (recent.size() >= MAX_REMEMBERED) {
          recent.clear();
        }
        m = new Minted(mint(user), now + ttl.toSeconds() / 2);
        recent.put(user, m);
      }
      return CompletableFuture.completedFuture(m.token());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The app id these tokens carry as {@code iss}. */
  public String appId() {
    return appId;
  }

  @Override
  public String toString() {
    return "DevTokens[" + appId + "]";
  }
}
