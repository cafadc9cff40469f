package dev.fleetvault.cli.preload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A deterministic synthetic population: user {@code i} of seed {@code s} is {@code
 * preload-<s>-<i>}, its 6-digit PIN and 32-byte secret are HMAC-SHA256 outputs keyed by the seed.
 * Anyone who knows the seed knows every PIN and secret: this is benchmark data for development
 * fleets, never a way to make real users.
 *
 * <p>Guarantees: the same seed and index always give the same user, PIN and secret (so a later run
 * can recover users registered by an earlier one); different indices give different user ids.
 * Thread-safe.
 */
public final class Population {
  /** Longest seed accepted (it is part of every user id). */
  public static final int MAX_SEED = 32;

  private final String seed;
  private final byte[] key;

  /**
   * @param seed a short label of {@code [A-Za-z0-9_-]}, 1..{@value #MAX_SEED} characters
   * @throws IllegalArgumentException if the seed is empty, too long or has other characters
   */
  public Population(String seed) {
    if (seed == null
        || seed.isEmpty()
        || seed.length() > MAX_SEED
        || !seed.matches("[A-Za-z0-9_-]+"))
      throw new IllegalArgumentException(
          "preload seed must be 1.." + MAX_SEED + " characters of A-Z a-z 0-9 _ -");
    this.seed = seed;
    this.key = ("fleetvault-preload-v1/" + seed).getBytes(StandardCharsets.UTF_8);
  }

  /** The seed. */
  public String seed() {
    return seed;
  }

  /** The user id of index {@code i} ({@code i >= 0}). */
  public String user(long i) {
    check(i);
    return "preload-" + seed + "-" + i;
  }

  /** A fresh copy of the 6-digit PIN of index {@code i}; the caller wipes it. */
  public char[] pin(long i) {
    byte[] h = mac("pin", i);
    long v = ByteBuffer.wrap(h, 0, 8).getLong() & Long.MAX_VALUE;
    Arrays.fill(h, (byte) 0);
    return String.format(java.util.Locale.ROOT, "%06d", v % 1_000_000).toCharArray();
  }

  /** A fresh copy of the 32-byte secret of index {@code i}; the caller wipes it. */
  public byte[] secret(long i) {
    return mac("secret", i);
  }

  private byte[] mac(String label, long i) {
    check(i);
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      m.update(label.getBytes(StandardCharsets.US_ASCII));
      m.update(ByteBuffer.allocate(8).putLong(i).array());
      return m.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static void check(long i) {
    if (i < 0) throw new IllegalArgumentException("user index must be >= 0");
  }
}
