package dev.fleetvault.protocol.kdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.testing.Hex;
import org.junit.jupiter.api.Test;

class HkdfTest {

  @Test
  void labeledInfo_layout_isPrefixLengthLabelContext() {
    assertThat(Hex.encode(Hkdf.labeledInfo("ab", new byte[] {(byte) 0xcc})))
        .isEqualTo(
            Hex.encode("fleetvault/v1 ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                + "00026162cc");
  }

  @Test
  void deriveLabeled_labelContextBoundaryShift_differentKeys() {
    SecretBytes ikm = SecretBytes.copyOf(new byte[32]);
    SecretBytes a = Hkdf.deriveLabeled(ikm, null, "mask", new byte[] {'1'}, 32);
    SecretBytes b = Hkdf.deriveLabeled(ikm, null, "mask1", new byte[0], 32);
    SecretBytes c = Hkdf.deriveLabeled(ikm, null, "mask", new byte[] {'1'}, 32);
    assertThat(a.equalsConstantTime(b)).isFalse();
    assertThat(a.equalsConstantTime(c)).isTrue();
  }

  @Test
  void deriveLabeled_matchesPlainHkdf() {
    byte[] ikm = {1, 2, 3};
    byte[] salt = {4};
    SecretBytes d = Hkdf.deriveLabeled(SecretBytes.copyOf(ikm), salt, "unlock", new byte[] {5}, 32);
    assertThat(
            d.equalsConstantTime(
                Hkdf.extractAndExpand(salt, ikm, Hkdf.labeledInfo("unlock", new byte[] {5}), 32)))
        .isTrue();
  }

  @Test
  void expand_tooLongOrNonAsciiLabel_rejected() {
    assertThatThrownBy(() -> Hkdf.expand(new byte[32], null, 8161))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Hkdf.labeledInfo("mäsk", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
