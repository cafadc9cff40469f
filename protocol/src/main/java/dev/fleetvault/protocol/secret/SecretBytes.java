package dev.fleetvault.protocol.secret;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A wipeable holder for secret bytes (keys, PIN-derived values, plaintext shares).
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@link #toString()} shows only the length, never the content; no exception message thrown
 *       by this class contains the content.
 *   <li>The content is held in one private array; {@link #copyOf(byte[])} copies the caller's
 *       array, {@link #wrap(byte[])} takes ownership of it (the caller must not keep it).
 *   <li>{@link #wipe()} / {@link #close()} overwrite the content with zeros; afterwards every
 *       accessor throws {@link IllegalStateException}. Wiping twice is harmless.
 *   <li>{@link #equalsConstantTime(SecretBytes)} and {@link #constantTimeEquals(byte[], byte[])}
 *       compare in time independent of where the contents differ ({@link MessageDigest#isEqual}).
 *       {@link Object#equals(Object)} is identity on purpose: use the constant-time method.
 * </ul>
 *
 * Not thread-safe against concurrent {@link #wipe()}; share only between threads that do not wipe.
 */
public final class SecretBytes implements AutoCloseable {
  private final byte[] bytes;
  private volatile boolean wiped;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A new holder with a private copy of {@code bytes}; the caller may wipe its own array. */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(Objects.requireNonNull(bytes, "bytes").clone());
  }

  /**
   * A holder that takes ownership of {@code bytes} (no copy): the caller must drop its reference.
   */
  public static SecretBytes wrap(byte[] bytes) {
    return new SecretBytes(Objects.requireNonNull(bytes, "bytes"));
  }

  /** {@code length} fresh random bytes from {@code random}. */
  public static SecretBytes random(int length, SecureRandom random) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
    byte[] b = new byte[length];
    random.nextBytes(b);
    return new SecretBytes(b);
  }

  /** Number of bytes (still known after wiping). */
  public int length() {
    return bytes.length;
  }

  /** A fresh copy of the content; the caller owns it and should wipe it (Arrays.fill) after use. */
  public byte[] copy() {
    checkLive();
    return bytes.clone();
  }

  /** Constant-time comparison of content (false if lengths differ). */
  public boolean equalsConstantTime(SecretBytes other) {
    checkLive();
    other.checkLive();
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Constant-time comparison of content against a plain array (false if lengths differ). */
  public boolean equalsConstantTime(byte[] other) {
    checkLive();
    return MessageDigest.isEqual(bytes, Objects.requireNonNull(other, "other"));
  }

  /** Constant-time comparison of two arrays (time independent of the position of a difference). */
  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return MessageDigest.isEqual(Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b"));
  }

  /** True once {@link #wipe()} has run. */
  public boolean isWiped() {
    return wiped;
  }

  /** Overwrites the content with zeros; every later accessor throws. Idempotent. */
  public void wipe() {
    wiped = true;
    Arrays.fill(bytes, (byte) 0);
  }

  /** Same as {@link #wipe()}, so holders can be used in try-with-resources. */
  @Override
  public void close() {
    wipe();
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes" + (wiped ? ", wiped]" : "]");
  }

  private void checkLive() {
    if (wiped) {
      throw new IllegalStateException("SecretBytes was wiped");
    }
  }
}
