package dev.fleetvault.protocol.sig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.testing.VectorReport;
import dev.fleetvault.protocol.testing.Wycheproof;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code ecdsa_secp256r1_sha256} (DER signatures) against {@link EcdsaP256#verify}, and
 * its valid signatures re-encoded as the 64-byte {@code R || S} of JWS ES256 against {@link
 * EcdsaP256#verifyRaw} (the app-token check).
 */
class WycheproofEcdsaVectorsTest {

  @Test
  void ecdsaSecp256r1Sha256_allVectors_verifyIffValid() throws Exception {
    VectorReport report = new VectorReport("Wycheproof ecdsa_secp256r1_sha256");
    Wycheproof.forEach(
        "ecdsa_secp256r1_sha256",
        (g, t) ->
            report.check(
                Wycheproof.label(t),
                () -> {
                  GroupElement pub =
                      GroupElement.decodeUncompressed(
                          Wycheproof.hex(g.get("publicKey"), "uncompressed"));
                  assertThat(Ecdh.decodeSpki(Wycheproof.hex(g, "publicKeyDer"))).isEqualTo(pub);
                  boolean valid = "valid".equals(t.get("result").asText());
                  assertThat(t.get("result").asText()).isIn("valid", "invalid");
                  assertThat(
                          EcdsaP256.verify(pub, Wycheproof.hex(t, "msg"), Wycheproof.hex(t, "sig")))
                      .isEqualTo(valid);
                }));
    report.assertAllPassed();
  }

  @Test
  void verifyRaw_validVectorsAsRS_trueAndOneBitFlipped_false() throws Exception {
    VectorReport report = new VectorReport("Wycheproof ecdsa_secp256r1_sha256, R || S form");
    int[] checked = {0};
    Wycheproof.forEach(
        "ecdsa_secp256r1_sha256",
        (g, t) -> {
          if (!"valid".equals(t.get("result").asText())) {
            return;
          }
          report.check(
              Wycheproof.label(t),
              () -> {
                GroupElement pub =
                    GroupElement.decodeUncompressed(
                        Wycheproof.hex(g.get("publicKey"), "uncompressed"));
                byte[] msg = Wycheproof.hex(t, "msg");
                byte[] raw = rawOf(Wycheproof.hex(t, "sig"));
                assertThat(EcdsaP256.verifyRaw(pub, msg, raw)).isTrue();
                for (int bit : new int[] {0, 255, 256, 511}) {
                  byte[] bad = raw.clone();
                  bad[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
                  if (isMalleableTwin(raw, bad)) {
                    continue; // (r, n - s) is valid too: PROTOCOL.md has no low-S rule
                  }
                  assertThat(EcdsaP256.verifyRaw(pub, msg, bad))
                      .as("bit %d flipped", bit)
                      .isFalse();
                }
                checked[0]++;
              });
        });
    report.assertAllPassed();
    assertThat(checked[0]).as("valid vectors checked").isGreaterThan(100);
  }

  /**
   * True iff {@code other} is {@code (r, n - s)} of {@code raw}: Wycheproof's malleability edge
   * cases have s = (n - 1) / 2, where flipping the last bit gives exactly that.
   */
  private static boolean isMalleableTwin(byte[] raw, byte[] other) {
    java.math.BigInteger n = org.bouncycastle.asn1.nist.NISTNamedCurves.getByName("P-256").getN();
    java.math.BigInteger s1 =
        new java.math.BigInteger(1, java.util.Arrays.copyOfRange(raw, 32, 64));
    java.math.BigInteger s2 =
        new java.math.BigInteger(1, java.util.Arrays.copyOfRange(other, 32, 64));
    return java.util.Arrays.equals(raw, 0, 32, other, 0, 32) && s1.add(s2).equals(n);
  }

  /** A strict-DER ECDSA signature as 32-byte big-endian r then s. */
  private static byte[] rawOf(byte[] der) {
    try {
      org.bouncycastle.asn1.ASN1Sequence seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(der);
      byte[] out = new byte[64];
      for (int i = 0; i < 2; i++) {
        java.math.BigInteger v =
            org.bouncycastle.asn1.ASN1Integer.getInstance(seq.getObjectAt(i)).getPositiveValue();
        byte[] b = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, v);
        System.arraycopy(b, 0, out, 32 * i, 32);
      }
      return out;
    } catch (RuntimeException e) {
      throw new IllegalStateException("a valid vector's signature is not DER", e);
    }
  }
}
