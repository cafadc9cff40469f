package dev.fleetvault.bundles.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Hashing, Ed25519 verification and P-256 key codecs used by the verifiers, the signer and the CLI
 * (no secrets here). ECDSA P-256 verification is {@link dev.fleetvault.protocol.sig.EcdsaP256}.
 *
 * <p>Guarantees: verification is total (malformed keys or signatures give {@code false}, never an
 * exception); {@link #equal} is constant-time; stateless and thread-safe.
 */
public final class Crypto {
  private Crypto() {}

  /** SHA-256 of the concatenation of {@code parts}. */
  public static byte[] sha256(byte[]... parts) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  /** RFC 8032 Ed25519 verification (Bouncy Castle; rejects non-canonical encodings). */
  public static boolean ed25519Verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null
        || publicKey.length != 32
        || signature == null
        || signature.length != 64) {
      return false;
    }
    try {
      Ed25519Signer v = new Ed25519Signer();
      v.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
      v.update(message, 0, message.length);
      return v.verifySignature(signature);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static final org.bouncycastle.crypto.params.ECDomainParameters P256_DOMAIN;

  static {
    org.bouncycastle.asn1.x9.X9ECParameters x9 =
        org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256r1");
    P256_DOMAIN =
        new org.bouncycastle.crypto.params.ECDomainParameters(
            x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
  }

  /**
   * Decodes an X.509 SubjectPublicKeyInfo holding a P-256 key.
   *
   * @throws IllegalArgumentException if it is not a valid P-256 key
   */
  public static ECPublicKey p256FromSpki(byte[] spki) {
    try {
      PublicKey k = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
      if (!(k instanceof ECPublicKey ec)
          || ec.getParams().getCurve().getField().getFieldSize() != 256
          || !ec.getParams().getOrder().equals(P256_ORDER)) {
        throw new IllegalArgumentException("not a P-256 key");
      }
      return ec;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid EC public key", e);
    }
  }

  private static final java.math.BigInteger P256_ORDER =
      new java.math.BigInteger(
          "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

  private static final org.bouncycastle.math.ec.ECCurve P256_CURVE = P256_DOMAIN.getCurve();

  /** Validates a 65-byte uncompressed P-256 point (on the curve, not infinity). */
  public static boolean isValidP256Point(byte[] point) {
    if (point == null || point.length != 65 || point[0] != 0x04) {
      return false;
    }
    try {
      org.bouncycastle.math.ec.ECPoint p = P256_CURVE.decodePoint(point);
      return p.isValid() && !p.isInfinity();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Encodes a P-256 public key as a 65-byte uncompressed point. */
  public static byte[] uncompressed(ECPublicKey k) {
    ECPoint w = k.getW();
    byte[] out = new byte[65];
    out[0] = 4;
    copy32(w.getAffineX(), out, 1);
    copy32(w.getAffineY(), out, 33);
    return out;
  }

  private static void copy32(java.math.BigInteger v, byte[] out, int off) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, off + 32 - len, len);
  }

  /** Constant-time equality. */
  public static boolean equal(byte[] a, byte[] b) {
    return a != null && b != null && MessageDigest.isEqual(a, b);
  }
}
