package dev.fleetvault.protocol.aead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.testing.Hex;
import dev.fleetvault.protocol.testing.VectorReport;
import dev.fleetvault.protocol.testing.Wycheproof;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code aes_gcm} against {@link AesGcm}. Vectors with a 96-bit nonce and a 128- or
 * 256-bit key must encrypt/decrypt exactly (invalid ones must fail authentication); every other
 * vector (other nonce sizes, 192-bit keys) must be refused by the wrapper's parameter checks.
 */
class WycheproofAesGcmVectorsTest {

  @Test
  void aesGcm_allVectors_supportedExactOthersRefused() throws Exception {
    VectorReport report = new VectorReport("Wycheproof aes_gcm");
    Wycheproof.forEach(
        "aes_gcm",
        (g, t) ->
            report.check(
                Wycheproof.label(t) + " key " + g.get("keySize") + " iv " + g.get("ivSize"),
                () -> {
                  SecretBytes key = SecretBytes.wrap(Wycheproof.hex(t, "key"));
                  byte[] iv = Wycheproof.hex(t, "iv");
                  byte[] aad = Wycheproof.hex(t, "aad");
                  byte[] msg = Wycheproof.hex(t, "msg");
                  byte[] ctTag = Hex.decode(t.get("ct").asText() + t.get("tag").asText());
                  boolean supported = iv.length == 12 && (key.length() == 16 || key.length() == 32);
                  if (!supported) {
                    assertThatThrownBy(() -> AesGcm.decrypt(key, iv, aad, ctTag))
                        .isInstanceOf(IllegalArgumentException.class);
                    assertThatThrownBy(() -> AesGcm.encrypt(key, iv, aad, msg))
                        .isInstanceOf(IllegalArgumentException.class);
                    return;
                  }
                  if ("valid".equals(t.get("result").asText())) {
                    assertThat(Hex.encode(AesGcm.encrypt(key, iv, aad, msg)))
                        .isEqualTo(Hex.encode(ctTag));
                    assertThat(Hex.encode(AesGcm.decrypt(key, iv, aad, ctTag)))
                        .isEqualTo(Hex.encode(msg));
                  } else {
                    assertThatThrownBy(() -> AesGcm.decrypt(key, iv, aad, ctTag))
                        .isInstanceOf(AEADBadTagException.class);
                  }
                }));
    report.assertAllPassed();
  }
}
