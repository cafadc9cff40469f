package dev.fleetvault.protocol.aead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.protocol.secret.SecretBytes;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

class AesGcmTest {
  private final SecureRandom rnd = new SecureRandom();

  @Test
  void seal_thenOpen_roundTripsWithFreshNonces() throws Exception {
    SecretBytes key = SecretBytes.random(32, rnd);
    byte[] a = AesGcm.seal(key, new byte[] {1}, new byte[] {9, 9}, rnd);
    byte[] b = AesGcm.seal(key, new byte[] {1}, new byte[] {9, 9}, rnd);
    assertThat(a).isNotEqualTo(b).hasSize(12 + 2 + 16);
    assertThat(AesGcm.open(key, new byte[] {1}, a)).containsExactly(9, 9);
  }

  @Test
  void open_tamperedWrongAadWrongKeyOrTruncated_badTag() {
    SecretBytes key = SecretBytes.random(32, rnd);
    byte[] s = AesGcm.seal(key, new byte[] {1}, new byte[] {9, 9}, rnd);
    byte[] t = s.clone();
    t[13] ^= 1;
    assertThatThrownBy(() -> AesGcm.open(key, new byte[] {1}, t))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> AesGcm.open(key, new byte[] {2}, s))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> AesGcm.open(SecretBytes.random(32, rnd), new byte[] {1}, s))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> AesGcm.open(key, new byte[] {1}, Arrays.copyOf(s, 27)))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> AesGcm.open(key, new byte[] {1}, new byte[0]))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void encrypt_badKeyOrNonceLength_rejected() {
    assertThatThrownBy(
            () -> AesGcm.encrypt(SecretBytes.random(24, rnd), new byte[12], null, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> AesGcm.encrypt(SecretBytes.random(16, rnd), new byte[16], null, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
