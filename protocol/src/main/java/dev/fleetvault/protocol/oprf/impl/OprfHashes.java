package dev.fleetvault.protocol.oprf.impl;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.oprf.OprfMode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.hash2curve.HashToCurveProfile;
import org.bouncycastle.crypto.hash2curve.HashToEllipticCurve;
import org.bouncycastle.crypto.hash2curve.OPRFHashToScalar;
import org.bouncycastle.math.ec.ECPoint;

/**
 * RFC 9497 suite P256-SHA256 hash functions (HashToGroup, HashToScalar, Hash) and transcript
 * helpers, on Bouncy Castle's RFC 9380 implementation. Internal: not API.
 *
 * <h2>Guarantees</h2>
 *
 * Exactly the RFC 9497 §4.3 P256-SHA256 functions (vector-checked through the public API); the DST
 * bytes are ASCII and mode bytes only, so the String form passed to Bouncy Castle is exact.
 */
public final class OprfHashes {
  private OprfHashes() {}

  /** ASCII bytes. */
  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code a || b || ...}. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  /** I2OSP(len(x), 2) || x. */
  public static byte[] lengthPrefixed(byte[] x) {
    if (x.length > 0xffff) {
      throw new IllegalArgumentException("value longer than 65535 bytes cannot be length-prefixed");
    }
    return concat(i2osp2(x.length), x);
  }

  /** I2OSP(v, 2). */
  public static byte[] i2osp2(int v) {
    if (v < 0 || v > 0xffff) {
      throw new IllegalArgumentException("value does not fit in 2 bytes: " + v);
    }
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }

  /**
   * HashToGroup: hash_to_curve P256_XMD:SHA-256_SSWU_RO_ with DST "HashToGroup-" || contextString.
   */
  public static GroupElement hashToGroup(byte[] input, OprfMode mode) {
    byte[] dst = concat(ascii("HashToGroup-"), mode.contextString());
    for (byte b : dst) {
      if (b < 0) { // Bouncy Castle takes the DST as a String and encodes it as UTF-8
        throw new IllegalStateException("DST must be 7-bit");
      }
    }
    ECPoint p =
        HashToEllipticCurve.getInstance(
                HashToCurveProfile.P256_XMD_SHA_256, new String(dst, StandardCharsets.ISO_8859_1))
            .hashToCurve(input);
    if (p.isInfinity()) {
      throw new IllegalArgumentException(
          "input hashes to the identity element (RFC 9497 InvalidInputError)");
    }
    return GroupElement.fromPoint(p);
  }

  /** HashToScalar with the default DST "HashToScalar-" || contextString. */
  public static Scalar hashToScalar(byte[] input, OprfMode mode) {
    return hashToScalar(input, concat(ascii("HashToScalar-"), mode.contextString()));
  }

  /**
   * HashToScalar (hash_to_field over Z/nZ, expand_message_xmd SHA-256, L = 48) with an explicit
   * DST.
   */
  public static Scalar hashToScalar(byte[] input, byte[] dst) {
    OPRFHashToScalar h =
        new OPRFHashToScalar(dev.fleetvault.protocol.group.P256.CURVE, new SHA256Digest(), 128);
    return Scalar.reduce(h.process(input, dst));
  }

  /** SHA-256. */
  public static byte[] hash(byte[] input) {
    SHA256Digest d = new SHA256Digest();
    d.update(input, 0, input.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
