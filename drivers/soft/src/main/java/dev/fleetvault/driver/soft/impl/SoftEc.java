package dev.fleetvault.driver.soft.impl;

import java.io.IOException;
import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

/**
 * P-256 ECDSA and ECDH for the soft driver on Bouncy Castle's optimised secp256r1 curve (several
 * times faster than JDK 17's SunEC and than BC's JCA layer, which rebuilds the curve from a JDK key
 * on every call). ECDSA nonces are deterministic (RFC 6979, HMAC-SHA256).
 */
final class SoftEc {

  private static final X9ECParameters X9 = CustomNamedCurves.getByName("secp256r1");
  static final ECDomainParameters DOMAIN =
      new ECDomainParameters(X9.getCurve(), X9.getG(), X9.getN(), X9.getH());

  private SoftEc() {}

  /** The BC private key parameters of a JDK P-256 private key. */
  static ECPrivateKeyParameters privateParams(ECPrivateKey key) {
    return new ECPrivateKeyParameters(key.getS(), DOMAIN);
  }

  /** SHA256withECDSA, ASN.1 DER. */
  static byte[] sign(ECPrivateKeyParameters key, byte[] message) {
    SHA256Digest d = new SHA256Digest();
    d.update(message, 0, message.length);
    byte[] hash = new byte[32];
    d.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, key);
    BigInteger[] rs = signer.generateSignature(hash);
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(rs[0]));
    v.add(new ASN1Integer(rs[1]));
    try {
      return new DERSequence(v).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding failed", e);
    }
  }

  /** ECDH with an uncompressed point the caller has already validated; the 32-byte x-coordinate. */
  static byte[] ecdh(ECPrivateKeyParameters key, byte[] uncompressedPoint) {
    ECPoint q = DOMAIN.getCurve().decodePoint(uncompressedPoint);
    ECDHBasicAgreement agreement = new ECDHBasicAgreement();
    agreement.init(key);
    BigInteger x = agreement.calculateAgreement(new ECPublicKeyParameters(q, DOMAIN));
    byte[] raw = x.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, 32 - len, len);
    Arrays.fill(raw, (byte) 0);
    return out;
  }
}
