package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.WireLimits;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The ledger key of a user: the one String under which the ledger keeps a user's rows and
 * registrations and the record store keeps its sealed records (PROTOCOL.md §10 "Ledger key").
 *
 * <pre>
 *   LedgerKeys.of(app, u) = app || "/" || base64url-without-padding(u)
 * </pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Injective over (app id, user id bytes): an app id never contains {@code '/'}, so the first
 *       {@code '/'} separates the two parts, and unpadded base64url is a bijection on byte strings.
 *   <li>At most {@link #MAX_LENGTH} = 256 UTF-8 bytes (all ASCII): 64 + 1 + 171 = 236 for the
 *       longest app id and a 128-byte user id.
 *   <li>App ids are 1..{@value WireLimits#MAX_APP_ID} characters of {@code [A-Za-z0-9._-]} ({@link
 *       #APP_ID}); user ids are 1..{@value WireLimits#MAX_USER_ID} arbitrary bytes. Anything else:
 *       {@link IllegalArgumentException} whose message names the rule, not the value.
 * </ul>
 */
public final class LedgerKeys {
  /** The app ids a fleet accepts (the gateway's configured app ids and token {@code iss}). */
  public static final Pattern APP_ID =
      Pattern.compile("[A-Za-z0-9._-]{1," + WireLimits.MAX_APP_ID + "}");

  /** Longest ledger key, in UTF-8 bytes. */
  public static final int MAX_LENGTH = 256;

  private LedgerKeys() {}

  /** The ledger key of user {@code userId} of app {@code appId}. */
  public static String of(String appId, byte[] userId) {
    requireAppId(appId);
    requireUserId(userId);
    return appId + "/" + Base64.getUrlEncoder().withoutPadding().encodeToString(userId);
  }

  /**
   * Checks an app id against {@link #APP_ID} and returns it.
   *
   * @throws IllegalArgumentException if it does not match
   */
  public static String requireAppId(String appId) {
    Objects.requireNonNull(appId, "appId");
    if (!APP_ID.matcher(appId).matches()) {
      throw new IllegalArgumentException(
          "app id must be 1.." + WireLimits.MAX_APP_ID + " characters of [A-Za-z0-9._-]");
    }
    return appId;
  }

  static void requireUserId(byte[] userId) {
    Objects.requireNonNull(userId, "userId");
    if (userId.length < 1 || userId.length > WireLimits.MAX_USER_ID) {
      throw new IllegalArgumentException(
          "user id must be 1.." + WireLimits.MAX_USER_ID + " bytes, got " + userId.length);
    }
  }
}
