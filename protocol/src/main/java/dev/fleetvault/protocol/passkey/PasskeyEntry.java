package dev.fleetvault.protocol.passkey;

import dev.fleetvault.protocol.wire.WireLimits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The user id of a user's passkey entry (PROTOCOL.md 21.1): {@code u_pk = u || 0xFF || "passkey"},
 * where {@code u} is the app's user id (UTF-8).
 *
 * <h2>Guarantees</h2>
 *
 * The byte 0xFF never occurs in UTF-8, so a passkey entry id is never the user id of any app user,
 * and {@link #of} is injective. A token for {@code sub = u} authorizes exactly the user ids {@code
 * u} and {@code of(u)} ({@link #authorizes}).
 */
public final class PasskeyEntry {
  /** The bytes appended to the app's user id: 0xFF then ASCII "passkey". */
  private static final byte[] SUFFIX = {(byte) 0xFF, 'p', 'a', 's', 's', 'k', 'e', 'y'};

  /** Longest app user id that can have a passkey entry. */
  public static final int MAX_BASE_USER_ID = WireLimits.MAX_USER_ID - SUFFIX.length;

  private PasskeyEntry() {}

  /**
   * The passkey entry id of app user {@code userId}.
   *
   * @throws IllegalArgumentException if {@code userId} is empty, longer than {@link
   *     #MAX_BASE_USER_ID} bytes, or itself a passkey entry id
   */
  public static byte[] of(byte[] userId) {
    Objects.requireNonNull(userId, "userId");
    if (userId.length < 1 || userId.length > MAX_BASE_USER_ID) {
      throw new IllegalArgumentException(
          "a user with a passkey entry needs a user id of 1.."
              + MAX_BASE_USER_ID
              + " bytes, got "
              + userId.length);
    }
    if (isEntry(userId)) {
      throw new IllegalArgumentException("the user id is already a passkey entry id");
    }
    byte[] out = Arrays.copyOf(userId, userId.length + SUFFIX.length);
    System.arraycopy(SUFFIX, 0, out, userId.length, SUFFIX.length);
    return out;
  }

  /**
   * Whether {@code userId} is a passkey entry id (ends with 0xFF "passkey" after at least one
   * byte).
   */
  public static boolean isEntry(byte[] userId) {
    if (userId == null || userId.length <= SUFFIX.length) {
      return false;
    }
    return Arrays.equals(
        userId, userId.length - SUFFIX.length, userId.length, SUFFIX, 0, SUFFIX.length);
  }

  /** The app user id of a passkey entry id, or {@code userId} itself if it is not one. */
  public static byte[] appUserOf(byte[] userId) {
    return isEntry(userId) ? Arrays.copyOf(userId, userId.length - SUFFIX.length) : userId.clone();
  }

  /**
   * Whether a token with subject {@code sub} authorizes a request for {@code userId}: the UTF-8
   * bytes of {@code sub} equal {@code userId} or {@code userId} is {@code sub}'s passkey entry.
   * Byte for byte, no normalisation.
   */
  public static boolean authorizes(String sub, byte[] userId) {
    Objects.requireNonNull(sub, "sub");
    Objects.requireNonNull(userId, "userId");
    byte[] s = sub.getBytes(StandardCharsets.UTF_8);
    if (MessageDigest.isEqual(s, userId)) {
      return true;
    }
    return isEntry(userId) && MessageDigest.isEqual(s, appUserOf(userId));
  }

  /** The user id a token subject names for a request: {@code userId} if authorized, else empty. */
  public static Optional<byte[]> authorizedUser(String sub, byte[] userId) {
    return authorizes(sub, userId) ? Optional.of(userId.clone()) : Optional.empty();
  }
}
