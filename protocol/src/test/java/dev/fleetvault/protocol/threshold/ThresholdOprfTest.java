package dev.fleetvault.protocol.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.InvalidEncodingException;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.oprf.BlindedInput;
import dev.fleetvault.protocol.oprf.DleqProof;
import dev.fleetvault.protocol.oprf.OprfKeyPair;
import dev.fleetvault.protocol.oprf.OprfServer;
import dev.fleetvault.protocol.secret.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** n = 5, t = 3: misbehaving members are identified and excluded; the output stays correct. */
class ThresholdOprfTest {
  private static final byte[] INPUT = "stretched pin".getBytes(StandardCharsets.US_ASCII);
  private final SecureRandom rnd = new SecureRandom();
  private Scalar k;
  private ThresholdOprfKeys keys;
  private ThresholdOprfClient client;
  private BlindedInput blinded;
  private List<MemberEvaluation> honest;
  private SecretBytes expected;

  @BeforeEach
  void setUp() {
    k = Scalar.random(rnd);
    keys = ThresholdOprfKeys.deal(k, 5, 3, rnd);
    client = new ThresholdOprfClient(3, keys.commitments());
    blinded = client.blind(INPUT, rnd);
    honest = new ArrayList<>();
    for (MemberKeyShare s : keys.shares()) {
      honest.add(ThresholdOprfMember.evaluate(s, blinded.blindedElement(), rnd));
    }
    expected = OprfServer.oprf(OprfKeyPair.fromPrivateKey(k)).evaluate(INPUT);
  }

  @Test
  void combine_memberWithWrongZ_rejectedAndOutputCorrect() {
    List<MemberEvaluation> answers = new ArrayList<>(honest);
    MemberEvaluation m1 = honest.get(0);
    answers.set(
        0, new MemberEvaluation(1, m1.evaluated().add(GroupElement.generator()), m1.proof()));
    assertCombinedCorrectly(answers, List.of(1), List.of(2, 3, 4));
  }

  @Test
  void combine_memberWithGarbageProof_rejectedAndOutputCorrect() {
    List<MemberEvaluation> answers = new ArrayList<>(honest);
    MemberEvaluation m2 = honest.get(1);
    answers.set(
        1,
        new MemberEvaluation(
            2, m2.evaluated(), new DleqProof(Scalar.random(rnd), Scalar.random(rnd))));
    assertCombinedCorrectly(answers, List.of(2), List.of(1, 3, 4));
  }

  @Test
  void combine_memberUsingWrongShareWithSelfConsistentProof_rejected() {
    // member 1 evaluates with a key share that does not match its commitment K_1
    MemberKeyShare fake = new MemberKeyShare(1, Scalar.random(rnd));
    List<MemberEvaluation> answers = new ArrayList<>(honest);
    answers.set(0, ThresholdOprfMember.evaluate(fake, blinded.blindedElement(), rnd));
    assertCombinedCorrectly(answers, List.of(1), List.of(2, 3, 4));
  }

  @Test
  void combine_replayedAnswerForOtherBlindedElement_rejected() {
    BlindedInput old = client.blind("old pin".getBytes(StandardCharsets.US_ASCII), rnd);
    List<MemberEvaluation> answers = new ArrayList<>(honest);
    answers.set(2, ThresholdOprfMember.evaluate(keys.shares().get(2), old.blindedElement(), rnd));
    assertCombinedCorrectly(answers, List.of(3), List.of(1, 2, 4));
  }

  @Test
  void combine_answerUnderAnotherMembersIndex_rejected() {
    List<MemberEvaluation> answers = new ArrayList<>(honest.subList(1, 5));
    MemberEvaluation m5 = honest.get(4);
    answers.add(
        new MemberEvaluation(
            1, m5.evaluated(), m5.proof())); // member 5's answer claimed as member 1's
    answers.add(new MemberEvaluation(9, m5.evaluated(), m5.proof())); // unknown index
    assertCombinedCorrectly(answers, List.of(1, 9), List.of(2, 3, 4));
  }

  @Test
  void combine_duplicateIndexOneHonest_honestUsedOnce() {
    List<MemberEvaluation> answers = new ArrayList<>(honest);
    MemberEvaluation m1 = honest.get(0);
    answers.add(new MemberEvaluation(1, m1.evaluated().add(GroupElement.generator()), m1.proof()));
    CombineResult.Combined c =
        (CombineResult.Combined) client.combine(blinded.blindedElement(), answers);
    assertThat(c.used()).containsExactly(1, 2, 3);
    assertThat(client.finalize(blinded, c.evaluation()).equalsConstantTime(expected)).isTrue();
  }

  @Test
  void combine_onlyTwoHonestOfFive_insufficientNoOutput() {
    List<MemberEvaluation> answers = new ArrayList<>();
    answers.add(honest.get(0));
    answers.add(honest.get(3));
    MemberEvaluation m2 = honest.get(1);
    answers.add(new MemberEvaluation(2, m2.evaluated().add(GroupElement.generator()), m2.proof()));
    CombineResult r = client.combine(blinded.blindedElement(), answers);
    assertThat(r).isInstanceOf(CombineResult.Insufficient.class);
    CombineResult.Insufficient i = (CombineResult.Insufficient) r;
    assertThat(i.verified()).containsExactly(1, 4);
    assertThat(i.rejected()).containsExactly(2);
    assertThat(i.threshold()).isEqualTo(3);
  }

  @Test
  void decode_garbageBytes_clearException() {
    byte[] z = honest.get(0).evaluated().encodeCompressed();
    byte[] p = honest.get(0).proof().encode();
    assertThat(MemberEvaluation.decode(1, z, p).evaluated()).isEqualTo(honest.get(0).evaluated());
    assertThatThrownBy(() -> MemberEvaluation.decode(1, new byte[33], p))
        .isInstanceOf(InvalidEncodingException.class);
    assertThatThrownBy(() -> MemberEvaluation.decode(1, z, new byte[10]))
        .isInstanceOf(InvalidEncodingException.class);
    byte[] ff = new byte[64];
    java.util.Arrays.fill(ff, (byte) 0xff);
    assertThatThrownBy(() -> MemberEvaluation.decode(1, z, ff))
        .isInstanceOf(InvalidEncodingException.class);
  }

  @Test
  void keys_commitmentsMatchSharesAndToStringRedacted() {
    for (MemberKeyShare s : keys.shares()) {
      assertThat(keys.commitments().get(s.index() - 1))
          .isEqualTo(GroupElement.multiplyGenerator(s.share()));
    }
    assertThat(keys.toString()).contains("n=5").contains("t=3");
    assertThat(keys.shares().get(0).toString()).contains("redacted");
  }

  @Test
  void commitmentsConsistent_dealtOrTampered_trueOrFalse() {
    assertThat(client.commitmentsConsistent()).isTrue();
    List<GroupElement> ks = new ArrayList<>(keys.commitments());
    ks.set(4, ks.get(4).add(GroupElement.generator()));
    assertThat(new ThresholdOprfClient(3, ks).commitmentsConsistent()).isFalse();
    ks = new ArrayList<>(keys.commitments());
    ks.set(0, ks.get(0).add(GroupElement.generator()));
    assertThat(new ThresholdOprfClient(3, ks).commitmentsConsistent()).isFalse();
    assertThat(new ThresholdOprfClient(5, ks).commitmentsConsistent())
        .isTrue(); // t = n: nothing to check
  }

  private void assertCombinedCorrectly(
      List<MemberEvaluation> answers, List<Integer> rejected, List<Integer> used) {
    CombineResult r = client.combine(blinded.blindedElement(), answers);
    assertThat(r.rejected()).containsExactlyElementsOf(rejected);
    assertThat(r).isInstanceOf(CombineResult.Combined.class);
    CombineResult.Combined c = (CombineResult.Combined) r;
    assertThat(c.used()).containsExactlyElementsOf(used);
    for (int bad : rejected) {
      assertThat(c.verified()).doesNotContain(bad);
    }
    assertThat(client.finalize(blinded, c.evaluation()).equalsConstantTime(expected)).isTrue();
  }
}
