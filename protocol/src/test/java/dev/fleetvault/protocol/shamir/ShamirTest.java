package dev.fleetvault.protocol.shamir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.protocol.group.Scalar;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShamirTest {

  @Test
  void split_badParameters_rejected() {
    SecureRandom r = new SecureRandom();
    assertThatThrownBy(() -> Shamir.split(Scalar.ONE, 3, 4, r))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Shamir.split(Scalar.ONE, 3, 0, r))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Shamir.split(Scalar.ONE, 256, 2, r))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void combine_duplicateOrEmptyIndexes_rejected() {
    Share a = new Share(1, Scalar.ONE);
    assertThatThrownBy(() -> Shamir.combine(List.of(a, new Share(1, Scalar.ONE))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Shamir.combine(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Share(0, Scalar.ONE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void splitWithCoefficients_knownPolynomial_expectedShares() {
    // f(x) = 5 + 2x + 3x^2
    List<Share> s =
        Shamir.splitWithCoefficients(
            List.of(Scalar.ofLong(5), Scalar.ofLong(2), Scalar.ofLong(3)), 3);
    assertThat(s)
        .extracting(Share::y)
        .containsExactly(Scalar.ofLong(10), Scalar.ofLong(21), Scalar.ofLong(38));
    assertThat(Shamir.lagrangeAtZero(1, List.of(1, 2, 3))).isEqualTo(Scalar.ofLong(3));
    assertThat(Shamir.lagrangeAtZero(2, List.of(1, 2, 3))).isEqualTo(Scalar.ofLong(-3));
    assertThat(Shamir.combine(s)).isEqualTo(Scalar.ofLong(5));
    // interpolate f(4) = 5 + 8 + 48 = 61 from x = 1..3
    Scalar f4 = Scalar.ZERO;
    for (Share sh : s) {
      f4 = f4.add(Shamir.lagrangeAt(4, sh.x(), List.of(1, 2, 3)).multiply(sh.y()));
    }
    assertThat(f4).isEqualTo(Scalar.ofLong(61));
    assertThat(s.get(0).toString()).doesNotContain("10");
  }
}
