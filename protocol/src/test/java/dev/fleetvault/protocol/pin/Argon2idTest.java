package dev.fleetvault.protocol.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.protocol.secret.SecretBytes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Argon2idTest {
  private static final byte[] SALT =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @Test
  void stretchPin_sameInputs_sameOutputDifferentPinDifferentOutput() {
    SecretBytes a =
        Argon2id.stretchPin(pin("1234"), SALT, Argon2idParameters.ARGON2ID_V1_INSECURE_TEST_ONLY);
    SecretBytes b =
        Argon2id.stretchPin(pin("1234"), SALT, Argon2idParameters.ARGON2ID_V1_INSECURE_TEST_ONLY);
    SecretBytes c =
        Argon2id.stretchPin(pin("1235"), SALT, Argon2idParameters.ARGON2ID_V1_INSECURE_TEST_ONLY);
    assertThat(a.length()).isEqualTo(32);
    assertThat(a.equalsConstantTime(b)).isTrue();
    assertThat(a.equalsConstantTime(c)).isFalse();
  }

  @Test
  void stretchPin_matchesRawHashWithSetParameters() {
    Argon2idParameters p = Argon2idParameters.ARGON2ID_V1_INSECURE_TEST_ONLY;
    byte[] raw =
        Argon2id.hash(
            "0000".getBytes(StandardCharsets.US_ASCII),
            SALT,
            null,
            null,
            p.memoryKiB(),
            p.iterations(),
            p.parallelism(),
            32);
    assertThat(Argon2id.stretchPin(pin("0000"), SALT, p).equalsConstantTime(raw)).isTrue();
  }

  @Test
  void stretchPin_shortSalt_rejected() {
    assertThatThrownBy(
            () ->
                Argon2id.stretchPin(
                    pin("1234"), new byte[15], Argon2idParameters.ARGON2ID_V1_INSECURE_TEST_ONLY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void forId_knownAndUnknown_resolvedOrRejected() {
    assertThat(Argon2idParameters.forId("argon2id-v1-default"))
        .isEqualTo(Argon2idParameters.ARGON2ID_V1_DEFAULT);
    assertThat(Argon2idParameters.ARGON2ID_V1_DEFAULT.memoryKiB()).isEqualTo(16 * 1024);
    assertThat(Argon2idParameters.ARGON2ID_V1_DEFAULT.iterations()).isEqualTo(32);
    assertThat(Argon2idParameters.ARGON2ID_V1_DEFAULT.parallelism()).isEqualTo(1);
    assertThatThrownBy(() -> Argon2idParameters.forId("argon2id-v2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("argon2id-v1-default");
  }

  private static SecretBytes pin(String p) {
    return SecretBytes.copyOf(p.getBytes(StandardCharsets.UTF_8));
  }
}
