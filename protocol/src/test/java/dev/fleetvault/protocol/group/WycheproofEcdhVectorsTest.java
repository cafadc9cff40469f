package dev.fleetvault.protocol.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.protocol.testing.Hex;
import dev.fleetvault.protocol.testing.VectorReport;
import dev.fleetvault.protocol.testing.Wycheproof;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code ecdh_secp256r1} against {@link Ecdh#decodeSpki} and {@link Ecdh#sharedSecretX}:
 * valid vectors must give the shared secret, invalid ones must be rejected by decoding (never a
 * wrong answer), acceptable ones may go either way but must never give a wrong secret.
 */
class WycheproofEcdhVectorsTest {

  @Test
  void ecdhSecp256r1_allVectors_validAgreeInvalidRejected() throws Exception {
    VectorReport report = new VectorReport("Wycheproof ecdh_secp256r1");
    Wycheproof.forEach(
        "ecdh_secp256r1",
        (g, t) ->
            report.check(
                Wycheproof.label(t),
                () -> {
                  String result = t.get("result").asText();
                  BigInteger d = new BigInteger(1, Wycheproof.hex(t, "private"));
                  Scalar sk = Scalar.of(d);
                  byte[] pub = Wycheproof.hex(t, "public");
                  switch (result) {
                    case "valid" ->
                        assertThat(Hex.encode(Ecdh.sharedSecretX(sk, Ecdh.decodeSpki(pub))))
                            .isEqualTo(t.get("shared").asText());
                    case "invalid" ->
                        assertThatThrownBy(() -> Ecdh.sharedSecretX(sk, Ecdh.decodeSpki(pub)))
                            .isInstanceOf(InvalidEncodingException.class);
                    case "acceptable" -> {
                      try {
                        byte[] shared = Ecdh.sharedSecretX(sk, Ecdh.decodeSpki(pub));
                        assertThat(Hex.encode(shared)).isEqualTo(t.get("shared").asText());
                      } catch (InvalidEncodingException rejected) {
                        // acceptable either way
                      }
                    }
                    default -> throw new AssertionError("unknown result " + result);
                  }
                }));
    report.assertAllPassed();
  }
}
