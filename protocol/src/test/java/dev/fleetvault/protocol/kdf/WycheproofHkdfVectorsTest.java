package dev.fleetvault.protocol.kdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.protocol.testing.Hex;
import dev.fleetvault.protocol.testing.VectorReport;
import dev.fleetvault.protocol.testing.Wycheproof;
import org.junit.jupiter.api.Test;

/** Wycheproof {@code hkdf_sha256} against {@link Hkdf#extractAndExpand}. */
class WycheproofHkdfVectorsTest {

  @Test
  void hkdfSha256_allVectors_validMatchInvalidRefused() throws Exception {
    VectorReport report = new VectorReport("Wycheproof hkdf_sha256");
    Wycheproof.forEach(
        "hkdf_sha256",
        (g, t) ->
            report.check(
                Wycheproof.label(t),
                () -> {
                  byte[] ikm = Wycheproof.hex(t, "ikm");
                  byte[] salt = Wycheproof.hex(t, "salt");
                  byte[] info = Wycheproof.hex(t, "info");
                  int size = t.get("size").asInt();
                  if ("valid".equals(t.get("result").asText())) {
                    assertThat(Hex.encode(Hkdf.extractAndExpand(salt, ikm, info, size)))
                        .isEqualTo(t.get("okm").asText());
                  } else {
                    assertThatThrownBy(() -> Hkdf.extractAndExpand(salt, ikm, info, size))
                        .isInstanceOf(IllegalArgumentException.class);
                  }
                }));
    report.assertAllPassed();
  }
}
