package dev.fleetvault.protocol.pin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.protocol.testing.Hex;
import dev.fleetvault.protocol.testing.VectorReport;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * RFC 9106 §5.3 Argon2id test vector, written here from the RFC text (the RFC has one Argon2id
 * vector; it is not in ../shared/vectors): version 0x13, m = 32 KiB, t = 3, p = 4, tag 32 bytes,
 * password 32×0x01, salt 16×0x02, secret 8×0x03, associated data 12×0x04.
 */
class Argon2idVectorsTest {

  @Test
  void rfc9106Section53_argon2id_matchesTag() {
    VectorReport report = new VectorReport("RFC 9106 Argon2id");
    report.check(
        VectorReport.label(1, "RFC 9106 section 5.3 Argon2id"),
        () -> {
          byte[] tag =
              Argon2id.hash(
                  fill(32, 0x01), fill(16, 0x02), fill(8, 0x03), fill(12, 0x04), 32, 3, 4, 32);
          assertThat(Hex.encode(tag))
              .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
        });
    report.assertAllPassed();
  }

  private static byte[] fill(int n, int b) {
    byte[] a = new byte[n];
    Arrays.fill(a, (byte) b);
    return a;
  }
}
