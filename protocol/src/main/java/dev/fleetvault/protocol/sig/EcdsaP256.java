package dev.fleetvault.protocol.sig;

import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.P256;
import dev.fleetvault.protocol.group.Scalar;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * ECDSA over P-256 with SHA-256 ("SHA256withECDSA"), signatures as ASN.1 DER {@code SEQUENCE { r
 * INTEGER, s INTEGER }} — the format HSM drivers return.
 *
 * <p>This is the only ECDSA verifier in Fleetvault: Raft command signatures (quorum), operator
 * counter-signatures and key statements (bundles), the signer's operator checks and the clients all
 * call it, so every replica and every verifier accepts exactly the same byte strings. Signatures
 * are ASN.1 DER everywhere in the protocol (PROTOCOL.md §13); there is no raw {@code r || s} form
 * and no low-S rule.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@link #verify} is total: any malformed input (non-DER, BER, trailing bytes, r or s outside
 *       [1, n-1], wrong types) returns {@code false}, never throws, never accepts. It is
 *       deterministic, so Raft replicas agree on it inside {@code apply}.
 *   <li>Both (r, s) and (r, n-s) verify (plain ECDSA is malleable); do not use signature bytes as
 *       identifiers.
 *   <li>{@link #sign} is deterministic (RFC 6979 nonces) and is for software keys only (development
 *       and tests); production members sign inside their HSM.
 * </ul>
 */
public final class EcdsaP256 {
  private EcdsaP256() {}

  /**
   * True iff {@code derSignature} is a valid strict-DER ECDSA P-256/SHA-256 signature of {@code
   * message}.
   */
  public static boolean verify(GroupElement publicKey, byte[] message, byte[] derSignature) {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(message, "message");
    if (derSignature == null) {
      return false;
    }
    BigInteger[] rs = decodeDer(derSignature);
    if (rs == null) {
      return false;
    }
    return verifyRs(publicKey, message, rs[0], rs[1]);
  }

  /**
   * True iff {@code rawSignature} is a valid ECDSA P-256/SHA-256 signature of {@code message} in
   * the fixed-width form JWS ES256 uses (RFC 7518 section 3.4): exactly 64 bytes, {@code r || s},
   * each big-endian and in [1, n-1]. Total like {@link #verify(GroupElement, byte[], byte[])}: any
   * other length or an out-of-range half returns {@code false}, never throws.
   *
   * <p>Keep one {@link GroupElement} per fixed key (an app's token key, a member's command key) and
   * pass that same instance every time: Bouncy Castle caches its precomputed multiples on the
   * point, so later verifications under that key are cheaper. The cache holds only multiples of the
   * public key; the verdict is the same with or without it.
   */
  public static boolean verifyRaw(GroupElement publicKey, byte[] message, byte[] rawSignature) {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(message, "message");
    if (rawSignature == null || rawSignature.length != 2 * P256.SCALAR_LENGTH) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(rawSignature, 0, P256.SCALAR_LENGTH));
    BigInteger s =
        new BigInteger(
            1, Arrays.copyOfRange(rawSignature, P256.SCALAR_LENGTH, 2 * P256.SCALAR_LENGTH));
    if (!inRange(r) || !inRange(s)) {
      return false;
    }
    return verifyRs(publicKey, message, r, s);
  }

  private static boolean verifyRs(
      GroupElement publicKey, byte[] message, BigInteger r, BigInteger s) {
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, new ECPublicKeyParameters(publicKey.toPoint(), P256.DOMAIN));
    return signer.verifySignature(sha256(message), r, s);
  }

  /**
   * {@link #verify(GroupElement, byte[], byte[])} with a JCA public key (for instance one an HSM
   * driver returned). False, never an exception, if {@code publicKey} is null or not a valid P-256
   * key with a named-curve X.509 encoding.
   */
  public static boolean verify(PublicKey publicKey, byte[] message, byte[] derSignature) {
    Objects.requireNonNull(message, "message");
    if (publicKey == null) {
      return false;
    }
    GroupElement q;
    try {
      q = Ecdh.fromJca(publicKey);
    } catch (RuntimeException e) {
      return false;
    }
    return verify(q, message, derSignature);
  }

  /** Deterministic (RFC 6979) signature in DER with a software private key. */
  public static byte[] sign(Scalar privateKey, byte[] message) {
    if (privateKey.isZero()) {
      throw new IllegalArgumentException("private key must not be zero");
    }
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(privateKey.toBigInteger(), P256.DOMAIN));
    BigInteger[] rs = signer.generateSignature(sha256(message));
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(rs[0]));
    v.add(new ASN1Integer(rs[1]));
    try {
      return new DERSequence(v).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding failed", e);
    }
  }

  /** Public key {@code privateKey·G}. */
  public static GroupElement publicKey(Scalar privateKey) {
    return GroupElement.multiplyGenerator(privateKey);
  }

  private static BigInteger[] decodeDer(byte[] der) {
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(der);
      if (!(p instanceof ASN1Sequence)) {
        return null;
      }
      ASN1Sequence seq = (ASN1Sequence) p;
      if (seq.size() != 2
          || !(seq.getObjectAt(0) instanceof ASN1Integer)
          || !(seq.getObjectAt(1) instanceof ASN1Integer)) {
        return null;
      }
      if (!Arrays.equals(p.getEncoded(ASN1Encoding.DER), der)) {
        return null; // BER or trailing data
      }
      BigInteger r = ((ASN1Integer) seq.getObjectAt(0)).getValue();
      BigInteger s = ((ASN1Integer) seq.getObjectAt(1)).getValue();
      if (!inRange(r) || !inRange(s)) {
        return null;
      }
      return new BigInteger[] {r, s};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean inRange(BigInteger v) {
    return v.signum() > 0 && v.compareTo(P256.ORDER) < 0;
  }

  private static byte[] sha256(byte[] m) {
    SHA256Digest d = new SHA256Digest();
    d.update(m, 0, m.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
