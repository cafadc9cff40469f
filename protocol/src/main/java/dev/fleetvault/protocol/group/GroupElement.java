package dev.fleetvault.protocol.group;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * A P-256 point other than the identity (RFC 9497 "Element").
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Every instance is on the curve, in the prime-order group (cofactor 1) and not the identity.
 *       Decoders check length, prefix, field range and the curve equation first and throw {@link
 *       InvalidEncodingException} otherwise; hybrid (0x06/0x07) and infinity (0x00) encodings are
 *       rejected.
 *   <li>Operations whose result would be the identity throw {@link ArithmeticException} (RFC 9497:
 *       SerializeElement fails on the identity), never return a bogus element.
 *   <li>Immutable, thread-safe; {@code equals} compares points.
 * </ul>
 */
public final class GroupElement {
  private static final GroupElement GENERATOR = new GroupElement(P256.G);
  private static final FixedPointCombMultiplier COMB = new FixedPointCombMultiplier();
  private final ECPoint point;

  private GroupElement(ECPoint normalized) {
    this.point = normalized;
  }

  /** The base point G. */
  public static GroupElement generator() {
    return GENERATOR;
  }

  /** {@code s·G}; throws {@link ArithmeticException} if {@code s} is zero. */
  public static GroupElement multiplyGenerator(Scalar s) {
    if (s.isZero()) {
      throw new ArithmeticException("multiplication by zero gives the identity");
    }
    return ofComputed(COMB.multiply(P256.G, s.toBigInteger())); // precomputed comb: faster for G
  }

  /** Decodes a 33-byte SEC1 compressed point (RFC 9497 DeserializeElement). */
  public static GroupElement decodeCompressed(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length != P256.COMPRESSED_LENGTH || (encoded[0] != 0x02 && encoded[0] != 0x03)) {
      throw new InvalidEncodingException(
          "P-256 element must be 33 bytes SEC1 compressed (0x02/0x03), got " + describe(encoded));
    }
    return decodeChecked(encoded);
  }

  /** Decodes a 65-byte SEC1 uncompressed point (0x04 || x || y), as HPKE and ECDH use. */
  public static GroupElement decodeUncompressed(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length != P256.UNCOMPRESSED_LENGTH || encoded[0] != 0x04) {
      throw new InvalidEncodingException(
          "P-256 public key must be 65 bytes SEC1 uncompressed (0x04), got " + describe(encoded));
    }
    return decodeChecked(encoded);
  }

  /** Wraps a Bouncy Castle point after full validation (imported onto {@link P256#CURVE}). */
  public static GroupElement fromPoint(ECPoint p) {
    Objects.requireNonNull(p, "point");
    if (p.isInfinity()) {
      throw new InvalidEncodingException("point is the identity");
    }
    ECPoint n = p.normalize();
    return decodeChecked(n.getEncoded(false));
  }

  /** Wraps a point computed internally from valid elements; throws if it is the identity. */
  static GroupElement ofComputed(ECPoint p) {
    if (p.isInfinity()) {
      throw new ArithmeticException("result is the identity element");
    }
    return new GroupElement(p.normalize());
  }

  private static GroupElement decodeChecked(byte[] encoded) {
    ECPoint p;
    try {
      p = P256.CURVE.decodePoint(encoded);
    } catch (RuntimeException e) {
      throw new InvalidEncodingException(
          "bytes do not encode a P-256 point (not on the curve or coordinate >= p)");
    }
    if (p.isInfinity() || !p.isValid()) {
      throw new InvalidEncodingException("point is not a valid non-identity P-256 point");
    }
    return new GroupElement(p.normalize());
  }

  private static String describe(byte[] b) {
    return b.length
        + " bytes"
        + (b.length > 0 ? String.format(" with prefix 0x%02x", b[0] & 0xff) : "");
  }

  /** {@code s·this}; throws {@link ArithmeticException} if {@code s} is zero. */
  public GroupElement multiply(Scalar s) {
    if (s.isZero()) {
      throw new ArithmeticException("multiplication by zero gives the identity");
    }
    return ofComputed(point.multiply(s.toBigInteger()));
  }

  /** {@code this + o}; throws {@link ArithmeticException} if the sum is the identity. */
  public GroupElement add(GroupElement o) {
    return ofComputed(point.add(o.point));
  }

  /**
   * {@code sum(scalars[i]·elements[i])} (multi-scalar multiplication; zero scalars allowed). Throws
   * {@link ArithmeticException} if the result is the identity, and {@link IllegalArgumentException}
   * if the lists are empty or differ in size.
   */
  public static GroupElement linearCombination(List<GroupElement> elements, List<Scalar> scalars) {
    if (elements.isEmpty() || elements.size() != scalars.size()) {
      throw new IllegalArgumentException(
          "need equally many (>= 1) elements and scalars, got "
              + elements.size()
              + " and "
              + scalars.size());
    }
    ECPoint[] ps = new ECPoint[elements.size()];
    BigInteger[] ks = new BigInteger[elements.size()];
    for (int i = 0; i < ps.length; i++) {
      ps[i] = elements.get(i).point;
      ks[i] = scalars.get(i).toBigInteger();
    }
    return ofComputed(ECAlgorithms.sumOfMultiplies(ps, ks));
  }

  /** 33-byte SEC1 compressed encoding (RFC 9497 SerializeElement). */
  public byte[] encodeCompressed() {
    return point.getEncoded(true);
  }

  /** 65-byte SEC1 uncompressed encoding (RFC 9180 SerializePublicKey). */
  public byte[] encodeUncompressed() {
    return point.getEncoded(false);
  }

  /** The 32-byte affine x-coordinate (what ECDH returns). */
  public byte[] affineX() {
    return point.getAffineXCoord().getEncoded();
  }

  /** The normalized Bouncy Castle point (for interoperation; never the identity). */
  public ECPoint toPoint() {
    return point;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupElement && point.equals(((GroupElement) o).point);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encodeCompressed());
  }

  @Override
  public String toString() {
    return "GroupElement[P-256, redacted]"; // evaluations can be PIN-derived: encode explicitly to
    // print
  }
}
