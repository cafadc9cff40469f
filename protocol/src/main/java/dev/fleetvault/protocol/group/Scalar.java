package dev.fleetvault.protocol.group;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.util.BigIntegers;

/**
 * An element of the P-256 scalar field Z/nZ (RFC 9497 "Scalar", 32-byte big-endian encoding).
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Immutable; the value is always in [0, n-1]. Decoders reject anything else with {@link
 *       InvalidEncodingException} (wrong length, value &ge; n, or zero where forbidden); there is
 *       no silent reduction of external input.
 *   <li>{@link #toString()} never shows the value (scalars are often secret keys or blinds); {@link
 *       #equals(Object)} compares encodings with {@link MessageDigest#isEqual}.
 *   <li>Not wipeable: backed by {@link BigInteger}. Keep secret scalars short-lived and at rest
 *       wrap their {@link #encode()} in {@code SecretBytes}. Arithmetic is not constant-time.
 * </ul>
 */
public final class Scalar {
  /** The scalar 0. */
  public static final Scalar ZERO = new Scalar(BigInteger.ZERO);

  /** The scalar 1. */
  public static final Scalar ONE = new Scalar(BigInteger.ONE);

  private final BigInteger value;

  private Scalar(BigInteger value) {
    this.value = value;
  }

  /** The scalar with this value; throws if outside [0, n-1] (no reduction). */
  public static Scalar of(BigInteger value) {
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0 || value.compareTo(P256.ORDER) >= 0) {
      throw new InvalidEncodingException("scalar out of range [0, n-1]");
    }
    return new Scalar(value);
  }

  /** {@code value mod n} (for values computed internally, e.g. hash outputs or small integers). */
  public static Scalar reduce(BigInteger value) {
    return new Scalar(value.mod(P256.ORDER));
  }

  /** {@code value mod n} for a small integer such as a Shamir x-coordinate. */
  public static Scalar ofLong(long value) {
    return reduce(BigInteger.valueOf(value));
  }

  /** Decodes exactly 32 big-endian bytes into [0, n-1]; RFC 9497 DeserializeScalar. */
  public static Scalar decode(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length != P256.SCALAR_LENGTH) {
      throw new InvalidEncodingException(
          "scalar must be " + P256.SCALAR_LENGTH + " bytes, got " + encoded.length);
    }
    BigInteger v = new BigInteger(1, encoded);
    if (v.compareTo(P256.ORDER) >= 0) {
      throw new InvalidEncodingException("scalar is not less than the group order n");
    }
    return new Scalar(v);
  }

  /**
   * Like {@link #decode(byte[])} but also rejects zero: a private key, share or blind is in [1,
   * n-1].
   */
  public static Scalar decodeNonZero(byte[] encoded) {
    Scalar s = decode(encoded);
    if (s.isZero()) {
      throw new InvalidEncodingException("scalar must not be zero");
    }
    return s;
  }

  /**
   * A uniformly random scalar in [1, n-1] by rejection sampling 32-byte strings from {@code
   * random}.
   */
  public static Scalar random(SecureRandom random) {
    byte[] b = new byte[P256.SCALAR_LENGTH];
    try {
      while (true) {
        random.nextBytes(b);
        BigInteger v = new BigInteger(1, b);
        if (v.signum() != 0 && v.compareTo(P256.ORDER) < 0) {
          return new Scalar(v);
        }
      }
    } finally {
      Arrays.fill(b, (byte) 0);
    }
  }

  /** 32-byte big-endian encoding (RFC 9497 SerializeScalar). */
  public byte[] encode() {
    return BigIntegers.asUnsignedByteArray(P256.SCALAR_LENGTH, value);
  }

  /** The value as a BigInteger in [0, n-1]. */
  public BigInteger toBigInteger() {
    return value;
  }

  public boolean isZero() {
    return value.signum() == 0;
  }

  public Scalar add(Scalar o) {
    return reduce(value.add(o.value));
  }

  public Scalar subtract(Scalar o) {
    return reduce(value.subtract(o.value));
  }

  public Scalar multiply(Scalar o) {
    return reduce(value.multiply(o.value));
  }

  public Scalar negate() {
    return reduce(value.negate());
  }

  /** Multiplicative inverse mod n; throws {@link ArithmeticException} for zero. */
  public Scalar invert() {
    if (isZero()) {
      throw new ArithmeticException("zero has no inverse");
    }
    return new Scalar(BigIntegers.modOddInverse(P256.ORDER, value));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scalar && MessageDigest.isEqual(encode(), ((Scalar) o).encode());
  }

  @Override
  public int hashCode() {
    return 0; // deliberately constant: scalars may be secret, do not leak via hash buckets
  }

  @Override
  public String toString() {
    return "Scalar[redacted]";
  }
}
