package dev.fleetvault.protocol.group;

import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * P-256 Diffie-Hellman in software and P-256 public key codecs (SEC1, X.509 SubjectPublicKeyInfo).
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@link #sharedSecretX} takes only validated {@link GroupElement}s and non-zero scalars, so
 *       invalid-curve and identity inputs are impossible; it returns the 32-byte x-coordinate, the
 *       same value an HSM's {@code CKM_ECDH1_DERIVE} (null KDF) returns.
 *   <li>{@link #decodeSpki} accepts only strict DER of {@code id-ecPublicKey} with the named curve
 *       {@code prime256v1} and an uncompressed point; everything else (explicit curve parameters,
 *       other curves, compressed points, BER, trailing bytes) throws {@link
 *       InvalidEncodingException}.
 * </ul>
 */
public final class Ecdh {
  private Ecdh() {}

  /** x-coordinate of {@code privateKey·peer} (32 bytes); throws if the scalar is zero. */
  public static byte[] sharedSecretX(Scalar privateKey, GroupElement peer) {
    Objects.requireNonNull(peer, "peer");
    return peer.multiply(privateKey).affineX();
  }

  /** Parses an X.509 SubjectPublicKeyInfo (DER) holding a P-256 public key. */
  public static GroupElement decodeSpki(byte[] der) {
    Objects.requireNonNull(der, "der");
    SubjectPublicKeyInfo spki;
    try {
      ASN1Primitive prim = ASN1Primitive.fromByteArray(der);
      spki = SubjectPublicKeyInfo.getInstance(prim);
      if (!java.util.Arrays.equals(spki.getEncoded(ASN1Encoding.DER), der)) {
        throw new InvalidEncodingException("public key is not canonical DER");
      }
    } catch (InvalidEncodingException e) {
      throw e;
    } catch (Exception e) {
      throw new InvalidEncodingException("public key is not a DER SubjectPublicKeyInfo");
    }
    AlgorithmIdentifier alg = spki.getAlgorithm();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())
        || !(alg.getParameters() instanceof ASN1ObjectIdentifier)
        || !SECObjectIdentifiers.secp256r1.equals(alg.getParameters())) {
      throw new InvalidEncodingException(
          "public key is not id-ecPublicKey on named curve prime256v1 (P-256)");
    }
    if (spki.getPublicKeyData().getPadBits() != 0) {
      throw new InvalidEncodingException("public key bit string has unused bits");
    }
    return GroupElement.decodeUncompressed(spki.getPublicKeyData().getOctets());
  }

  /** DER SubjectPublicKeyInfo of a P-256 public key (named curve, uncompressed point). */
  public static byte[] encodeSpki(GroupElement publicKey) {
    try {
      AlgorithmIdentifier alg =
          new AlgorithmIdentifier(
              X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1);
      return new SubjectPublicKeyInfo(alg, publicKey.encodeUncompressed())
          .getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("DER encoding failed", e);
    }
  }

  /** Converts a JCA P-256 public key (e.g. from an HSM driver) by its X.509 encoding. */
  public static GroupElement fromJca(java.security.PublicKey key) {
    Objects.requireNonNull(key, "key");
    byte[] enc = key.getEncoded();
    if (enc == null) {
      throw new InvalidEncodingException("public key has no X.509 encoding: " + key.getAlgorithm());
    }
    return decodeSpki(enc);
  }
}
