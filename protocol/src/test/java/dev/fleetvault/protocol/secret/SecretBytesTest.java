package dev.fleetvault.protocol.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretBytesTest {

  @Test
  void toString_anyContent_showsOnlyLength() {
    SecretBytes s = SecretBytes.copyOf(new byte[] {0x41, 0x42, 0x43, 0x44});
    assertThat(s.toString())
        .isEqualTo("SecretBytes[4 bytes]")
        .doesNotContain("41")
        .doesNotContain("ABCD");
  }

  @Test
  void copyOf_callerWipesOwnArray_contentKept() {
    byte[] b = {1, 2, 3};
    SecretBytes s = SecretBytes.copyOf(b);
    b[0] = 9;
    assertThat(s.copy()).containsExactly(1, 2, 3);
  }

  @Test
  void wipe_thenAccess_throwsAndArrayZeroed() {
    byte[] owned = {7, 7, 7};
    SecretBytes s = SecretBytes.wrap(owned);
    s.close();
    assertThat(owned).containsOnly(0);
    assertThat(s.isWiped()).isTrue();
    assertThat(s.toString()).contains("wiped");
    assertThatThrownBy(s::copy)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining("7");
    s.wipe(); // idempotent
  }

  @Test
  void equalsConstantTime_sameAndDifferentContent_comparedByContent() {
    SecretBytes a = SecretBytes.copyOf(new byte[] {1, 2});
    assertThat(a.equalsConstantTime(SecretBytes.copyOf(new byte[] {1, 2}))).isTrue();
    assertThat(a.equalsConstantTime(new byte[] {1, 3})).isFalse();
    assertThat(a.equalsConstantTime(new byte[] {1, 2, 0})).isFalse();
    assertThat(a)
        .isNotEqualTo(SecretBytes.copyOf(new byte[] {1, 2})); // equals() is identity by design
    assertThat(SecretBytes.constantTimeEquals(new byte[] {5}, new byte[] {5})).isTrue();
  }
}
