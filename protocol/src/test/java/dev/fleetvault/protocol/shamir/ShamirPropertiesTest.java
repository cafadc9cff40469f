package dev.fleetvault.protocol.shamir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.testing.Seeded;
import dev.fleetvault.protocol.testing.Subsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ShamirPropertiesTest {

  @Property(tries = 60)
  void split_anyTOfN_reconstructsAndTMinusOneDoNot(
      @ForAll @IntRange(min = 1, max = 8) int n,
      @ForAll @IntRange(min = 1, max = 8) int t,
      @ForAll long seed) {
    Assume.that(t <= n);
    SecureRandom rnd = Seeded.random(seed);
    Scalar secret = Scalar.random(rnd);
    List<Share> shares = Shamir.split(secret, n, t, rnd);
    assertThat(shares).extracting(Share::x).containsExactlyElementsOf(Subsets.of(n, n).get(0));
    for (List<Integer> subset : Subsets.of(n, t)) {
      assertThat(Shamir.combine(pick(shares, subset))).as("subset %s", subset).isEqualTo(secret);
    }
    if (t > 1) {
      for (List<Integer> subset : Subsets.of(n, t - 1)) {
        assertThat(Shamir.combine(pick(shares, subset)))
            .as("t-1 subset %s", subset)
            .isNotEqualTo(secret);
      }
    }
    assertThat(Shamir.combine(shares)).as("all n shares").isEqualTo(secret);
  }

  @Property(tries = 30)
  void combineInExponent_anyTSubset_equalsSecretTimesBase(
      @ForAll @IntRange(min = 1, max = 6) int n,
      @ForAll @IntRange(min = 1, max = 6) int t,
      @ForAll long seed) {
    Assume.that(t <= n);
    SecureRandom rnd = Seeded.random(seed);
    Scalar secret = Scalar.random(rnd);
    GroupElement base = GroupElement.multiplyGenerator(Scalar.random(rnd));
    List<Share> shares = Shamir.split(secret, n, t, rnd);
    for (List<Integer> subset : Subsets.of(n, t)) {
      Map<Integer, GroupElement> es = new TreeMap<>();
      for (Share s : pick(shares, subset)) {
        es.put(s.x(), base.multiply(s.y()));
      }
      assertThat(Shamir.combineInExponent(es)).isEqualTo(base.multiply(secret));
    }
  }

  private static List<Share> pick(List<Share> shares, List<Integer> xs) {
    List<Share> out = new ArrayList<>();
    for (int x : xs) {
      out.add(shares.get(x - 1));
    }
    return out;
  }
}
