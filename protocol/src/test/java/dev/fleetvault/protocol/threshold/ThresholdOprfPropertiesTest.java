package dev.fleetvault.protocol.threshold;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.oprf.BlindedInput;
import dev.fleetvault.protocol.oprf.OprfKeyPair;
import dev.fleetvault.protocol.oprf.OprfServer;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.testing.Seeded;
import dev.fleetvault.protocol.testing.Subsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ThresholdOprfPropertiesTest {

  @Property(tries = 15)
  void combine_everyTSubset_equalsSingleKeyOprf(
      @ForAll @IntRange(min = 1, max = 6) int n,
      @ForAll @IntRange(min = 1, max = 6) int t,
      @ForAll @Size(max = 40) byte[] input,
      @ForAll long seed) {
    Assume.that(t <= n);
    SecureRandom rnd = Seeded.random(seed);
    Scalar k = Scalar.random(rnd);
    ThresholdOprfKeys keys = ThresholdOprfKeys.deal(k, n, t, rnd);
    SecretBytes expected = OprfServer.oprf(OprfKeyPair.fromPrivateKey(k)).evaluate(input);
    ThresholdOprfClient client = new ThresholdOprfClient(t, keys.commitments());
    BlindedInput blinded = client.blind(input, rnd);
    List<MemberEvaluation> all = new ArrayList<>();
    for (MemberKeyShare s : keys.shares()) {
      all.add(ThresholdOprfMember.evaluate(s, blinded.blindedElement(), rnd));
    }
    for (List<Integer> subset : Subsets.of(n, t)) {
      List<MemberEvaluation> answers = new ArrayList<>();
      for (int i : subset) {
        answers.add(all.get(i - 1));
      }
      CombineResult r = client.combine(blinded.blindedElement(), answers);
      assertThat(r).as("subset %s", subset).isInstanceOf(CombineResult.Combined.class);
      CombineResult.Combined c = (CombineResult.Combined) r;
      assertThat(c.used()).isEqualTo(subset);
      assertThat(c.rejected()).isEmpty();
      assertThat(client.finalize(blinded, c.evaluation()).equalsConstantTime(expected))
          .as("subset %s", subset)
          .isTrue();
    }
  }
}
