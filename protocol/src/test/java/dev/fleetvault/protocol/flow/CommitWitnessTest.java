package dev.fleetvault.protocol.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link CommitWitness}: only the one claimed mint creates witnesses, and a witness covers exactly
 * one member, ledger key, version, record digest and attempt.
 */
class CommitWitnessTest {
  private static final byte[] DIGEST = filled(1);
  private static final byte[] ATTEMPT = filled(2);

  private static byte[] filled(int b) {
    byte[] x = new byte[32];
    Arrays.fill(x, (byte) b);
    return x;
  }

  /**
   * Property: once the mint is claimed (in a node: by the quorum module), nobody else can claim
   * one.
   */
  @Test
  void claimMint_afterTheMintWasClaimed_refused() {
    assertThat(TestWitnesses.MINT).isNotNull();
    assertThatThrownBy(CommitWitness::claimMint)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only the quorum module");
  }

  @Test
  void covers_exactRequest_true() {
    CommitWitness w =
        TestWitnesses.witness(
            CommitWitness.Kind.ATTEMPT_GRANTED, 1, "app/dQ", 3, DIGEST, 1, ATTEMPT, 2, false);
    assertThat(w.covers(CommitWitness.Kind.ATTEMPT_GRANTED, 1, "app/dQ", 3, DIGEST, ATTEMPT))
        .isTrue();
  }

  /**
   * Property: a witness for anything else — kind, member, user, version, digest, attempt — covers
   * nothing.
   */
  @Test
  void covers_anyFieldDifferent_false() {
    CommitWitness w =
        TestWitnesses.witness(
            CommitWitness.Kind.ATTEMPT_GRANTED, 1, "app/dQ", 3, DIGEST, 1, ATTEMPT, 2, false);
    assertThat(w.covers(CommitWitness.Kind.SUCCEEDED, 1, "app/dQ", 3, DIGEST, ATTEMPT)).isFalse();
    assertThat(w.covers(CommitWitness.Kind.ATTEMPT_GRANTED, 2, "app/dQ", 3, DIGEST, ATTEMPT))
        .isFalse();
    assertThat(w.covers(CommitWitness.Kind.ATTEMPT_GRANTED, 1, "app/dR", 3, DIGEST, ATTEMPT))
        .isFalse();
    assertThat(w.covers(CommitWitness.Kind.ATTEMPT_GRANTED, 1, "app/dQ", 4, DIGEST, ATTEMPT))
        .isFalse();
    assertThat(w.covers(CommitWitness.Kind.ATTEMPT_GRANTED, 1, "app/dQ", 3, filled(9), ATTEMPT))
        .isFalse();
    assertThat(w.covers(CommitWitness.Kind.ATTEMPT_GRANTED, 1, "app/dQ", 3, DIGEST, filled(9)))
        .isFalse();
  }

  @Test
  void accessors_copiesAndRedactedToString() {
    CommitWitness w =
        TestWitnesses.witness(
            CommitWitness.Kind.SUCCEEDED, 1, "app/dQ", 3, DIGEST, 1, ATTEMPT, 0, true);
    w.attemptId()[0] = 7;
    w.recordDigest()[0] = 7;
    assertThat(w.attemptId()).isEqualTo(ATTEMPT);
    assertThat(w.recordDigest()).isEqualTo(DIGEST);
    assertThat(w.toString()).contains("SUCCEEDED").doesNotContain("0202020202020202");
  }

  @Test
  void mint_badLengths_refused() {
    assertThatThrownBy(
            () ->
                TestWitnesses.witness(
                    CommitWitness.Kind.SUCCEEDED, 1, "k", 3, new byte[31], 1, ATTEMPT, 0, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                TestWitnesses.witness(
                    CommitWitness.Kind.SUCCEEDED, 0, "k", 3, DIGEST, 1, ATTEMPT, 0, false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
