package dev.fleetvault.protocol.sig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.protocol.group.Ecdh;
import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.testing.VectorReport;
import dev.fleetvault.protocol.testing.Wycheproof;
import org.junit.jupiter.api.Test;

/** Wycheproof {@code ecdsa_secp256r1_sha256} (DER signatures) against {@link EcdsaP256#verify}. */
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
}
