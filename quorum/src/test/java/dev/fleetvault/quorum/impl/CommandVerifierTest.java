package dev.fleetvault.quorum.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.P256;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.sig.EcdsaP256;
import dev.fleetvault.quorum.QuorumMember;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;

/** The quorum's command verifier gives exactly the protocol verifier's answer (one ECDSA home). */
class CommandVerifierTest {
  private static final byte[] MESSAGE = "command bytes".getBytes(StandardCharsets.UTF_8);
  private static final Scalar KEY = Scalar.ofLong(0x1234_5678_9abcL);

  @Test
  void verify_encodingsEdgeCases_sameAnswerAsEcdsaP256() throws Exception {
    GroupElement pub = EcdsaP256.publicKey(KEY);
    CommandVerifier v =
        CommandVerifier.forEpoch(7, List.of(new QuorumMember(1, "127.0.0.1", 1, 2, jca(pub))));
    byte[] der = EcdsaP256.sign(KEY, MESSAGE);
    BigInteger[] rs = decode(der);
    List<byte[]> candidates =
        List.of(
            der,
            encode(rs[0], P256.ORDER.subtract(rs[1])), // (r, n - s): malleable, accepted by both
            Arrays.copyOf(der, der.length + 1), // trailing byte
            berLongLength(der), // BER length form
            encode(rs[0], rs[1].add(P256.ORDER)), // s >= n
            encode(BigInteger.ZERO, rs[1]), // r = 0
            Arrays.copyOf(der, der.length - 1), // truncated
            new byte[0]);
    for (byte[] sig : candidates) {
      assertThat(v.verify(7, 1, MESSAGE, sig))
          .as("signature %s", new BigInteger(1, sig.length == 0 ? new byte[1] : sig).toString(16))
          .isEqualTo(EcdsaP256.verify(pub, MESSAGE, sig));
    }
    assertThat(v.verify(7, 1, MESSAGE, der)).isTrue();
    assertThat(v.verify(7, 1, MESSAGE, candidates.get(2))).isFalse();
    assertThat(v.verify(7, 1, MESSAGE, candidates.get(3))).isFalse();
  }

  @Test
  void verify_unknownMemberOrEpoch_false() throws Exception {
    CommandVerifier v =
        CommandVerifier.forEpoch(
            7, List.of(new QuorumMember(1, "127.0.0.1", 1, 2, jca(EcdsaP256.publicKey(KEY)))));
    byte[] der = EcdsaP256.sign(KEY, MESSAGE);
    assertThat(v.verify(8, 1, MESSAGE, der)).isFalse();
    assertThat(v.verify(7, 2, MESSAGE, der)).isFalse();
  }

  private static PublicKey jca(GroupElement pub) throws Exception {
    return KeyFactory.getInstance("EC")
        .generatePublic(new X509EncodedKeySpec(Ecdh.encodeSpki(pub)));
  }

  private static BigInteger[] decode(byte[] der) {
    ASN1Sequence s = ASN1Sequence.getInstance(der);
    return new BigInteger[] {
      ASN1Integer.getInstance(s.getObjectAt(0)).getValue(),
      ASN1Integer.getInstance(s.getObjectAt(1)).getValue()
    };
  }

  private static byte[] encode(BigInteger r, BigInteger s) throws Exception {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(r));
    v.add(new ASN1Integer(s));
    return new DERSequence(v).getEncoded();
  }

  /** The same SEQUENCE with its length in the (non-DER) long form 0x81 len. */
  private static byte[] berLongLength(byte[] der) {
    byte[] out = new byte[der.length + 1];
    out[0] = 0x30;
    out[1] = (byte) 0x81;
    out[2] = der[1];
    System.arraycopy(der, 2, out, 3, der.length - 2);
    return out;
  }
}
