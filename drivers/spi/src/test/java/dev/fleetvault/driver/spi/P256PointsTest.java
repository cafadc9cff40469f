package dev.fleetvault.driver.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Uncompressed P-256 points: round trip and every malformed case rejected as INVALID_INPUT. */
class P256PointsTest {

  private static byte[] goodPoint() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return P256Points.encodeUncompressed((ECPublicKey) g.generateKeyPair().getPublic());
  }

  @Test
  void decode_encoded_roundTrips() throws Exception {
    byte[] p = goodPoint();
    assertThat(P256Points.encodeUncompressed(P256Points.decodeUncompressed(p))).isEqualTo(p);
  }

  @Test
  void decode_malformed_invalidInput() throws Exception {
    byte[] good = goodPoint();
    byte[] offCurve = good.clone();
    offCurve[40] ^= 4;
    byte[] prefix = good.clone();
    prefix[0] = 3;
    byte[] xTooBig = good.clone();
    Arrays.fill(xTooBig, 1, 33, (byte) 0xff);
    byte[] infinity = new byte[65];
    infinity[0] = 4;
    for (byte[] bad :
        new byte[][] {
          offCurve, prefix, xTooBig, infinity, Arrays.copyOf(good, 33), new byte[0], null
        }) {
      assertThatThrownBy(() -> P256Points.decodeUncompressed(bad))
          .isInstanceOf(HsmFatalException.class)
          .satisfies(
              e ->
                  assertThat(((HsmException) e).kind()).isEqualTo(HsmException.Kind.INVALID_INPUT));
    }
  }

  @Test
  void sealedBlob_badVersionOrShort_integrity() {
    assertThatThrownBy(() -> SealedBlob.decode(new byte[29]))
        .satisfies(
            e -> assertThat(((HsmException) e).kind()).isEqualTo(HsmException.Kind.INTEGRITY));
    byte[] b = new byte[40];
    b[0] = 2;
    assertThatThrownBy(() -> SealedBlob.decode(b)).isInstanceOf(HsmFatalException.class);
  }
}
