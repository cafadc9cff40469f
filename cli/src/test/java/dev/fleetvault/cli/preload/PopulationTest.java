package dev.fleetvault.cli.preload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PopulationTest {
  @Test
  void derive_sameSeedAndIndex_sameUserPinSecret() {
    Population a = new Population("s-1"), b = new Population("s-1");
    assertThat(a.user(7)).isEqualTo(b.user(7)).isEqualTo("preload-s-1-7");
    assertThat(a.pin(7)).isEqualTo(b.pin(7)).hasSize(6);
    assertThat(new String(a.pin(7))).matches("[0-9]{6}");
    assertThat(a.secret(7)).isEqualTo(b.secret(7)).hasSize(32);
  }

  @Test
  void derive_otherIndexOrSeed_otherSecret() {
    Population a = new Population("s-1"), b = new Population("s-2");
    assertThat(a.secret(1)).isNotEqualTo(a.secret(2)).isNotEqualTo(b.secret(1));
    assertThat(a.user(1)).isNotEqualTo(a.user(10)).isNotEqualTo(b.user(1));
  }

  @Test
  void construct_badSeedOrIndex_refused() {
    assertThatThrownBy(() -> new Population("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Population("has space"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Population("x".repeat(33)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Population("ok").secret(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
