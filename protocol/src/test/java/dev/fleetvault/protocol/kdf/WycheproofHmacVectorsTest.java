package dev.fleetvault.protocol.kdf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.testing.VectorReport;
import dev.fleetvault.protocol.testing.Wycheproof;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code hmac_sha256} against {@link Hmac}. Full 256-bit tags go through {@link
 * Hmac#verify}; truncated (128-bit) tags are compared against the tag prefix.
 */
class WycheproofHmacVectorsTest {

  @Test
  void hmacSha256_allVectors_verifyIffValid() throws Exception {
    VectorReport report = new VectorReport("Wycheproof hmac_sha256");
    Wycheproof.forEach(
        "hmac_sha256",
        (g, t) ->
            report.check(
                Wycheproof.label(t),
                () -> {
                  byte[] key = Wycheproof.hex(t, "key");
                  byte[] msg = Wycheproof.hex(t, "msg");
                  byte[] tag = Wycheproof.hex(t, "tag");
                  boolean valid = "valid".equals(t.get("result").asText());
                  int tagBytes = g.get("tagSize").asInt() / 8;
                  byte[] full = Hmac.sha256(key, msg);
                  assertThat(MessageDigest.isEqual(Arrays.copyOf(full, tagBytes), tag))
                      .isEqualTo(valid);
                  if (tagBytes == Hmac.TAG_LENGTH) {
                    assertThat(Hmac.verify(SecretBytes.copyOf(key), msg, tag)).isEqualTo(valid);
                  }
                }));
    report.assertAllPassed();
  }
}
