package dev.fleetvault.protocol.flow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.Recover0Response;
import dev.fleetvault.protocol.wire.Recover1Request;
import org.junit.jupiter.api.Test;

/**
 * "Was my guess counted?" (PROTOCOL.md 9.1a) in the in-memory fleet: a phase 1 whose answer the
 * edge swallowed, one that never reached a majority, and an edge that tries to say "not counted".
 */
class AttemptCheckTest {
  private static final byte[] USER = "carol@example".getBytes(UTF_8);
  private static final byte[] PIN = "1234".getBytes(UTF_8);
  private static final byte[] WRONG = "9999".getBytes(UTF_8);
  private static final byte[] SECRET = "a 32-byte backup key, for real!!".getBytes(UTF_8);

  private static Recovery begin(InMemoryFleet f, byte[] pin) {
    return Recovery.begin(f.realm, InMemoryFleet.APP_ID, USER, SecretBytes.copyOf(pin), f.random);
  }

  /** Phase 0 and the phase-1 request of a guess; the caller decides what becomes of phase 1. */
  private static Recover1Request guess(InMemoryFleet f, Recovery rec) {
    RecoveryStep<Recover1Request> s1 = rec.afterRecover0(f.call(rec.recover0Request()));
    return ((RecoveryStep.Send<Recover1Request>) s1).request();
  }

  private static AttemptCheck.Verdict check(InMemoryFleet f, Recovery rec) {
    AttemptCheck c = rec.attemptCheck().orElseThrow();
    return c.verdict(f.call(c.request()));
  }

  @Test
  void check_phase1CommittedAnswerSwallowed_countedWithGuessesLeft() {
    InMemoryFleet f = new InMemoryFleet(3, new DeterministicRandom("swallowed"));
    f.register(USER, PIN, SECRET, 5);
    Recovery rec = begin(f, WRONG);
    f.call(guess(f, rec)); // the members counted and answered; the edge dropped the answer
    AttemptCheck.Verdict v = check(f, rec);
    assertThat(v.kind()).isEqualTo(AttemptCheck.Verdict.Kind.COUNTED);
    assertThat(v.guessesRemaining()).isEqualTo(4);
    assertThat(v.flagged()).isEmpty();
    // asking spends nothing: the next guess leaves 3
    assertThat(f.recover(USER, WRONG)).isEqualTo(new RecoverResult.WrongPin(3));
  }

  @Test
  void check_phase1NeverDelivered_notCountedNothingSpent() {
    InMemoryFleet f = new InMemoryFleet(3, new DeterministicRandom("never"));
    f.register(USER, PIN, SECRET, 5);
    Recovery rec = begin(f, WRONG);
    guess(f, rec); // built, never delivered
    AttemptCheck.Verdict v = check(f, rec);
    assertThat(v.kind()).isEqualTo(AttemptCheck.Verdict.Kind.NOT_COUNTED);
    assertThat(v.guessesRemaining()).isEqualTo(5);
    assertThat(f.counted(USER)).isZero();
  }

  @Test
  void check_majorityDown_unknownNeverNotCounted() {
    InMemoryFleet f = new InMemoryFleet(3, new DeterministicRandom("down"));
    f.register(USER, PIN, SECRET, 5);
    Recovery rec = begin(f, WRONG);
    f.call(guess(f, rec));
    f.down.add(2);
    f.down.add(3);
    assertThat(check(f, rec).kind()).isEqualTo(AttemptCheck.Verdict.Kind.UNKNOWN);
    f.down.clear();
    assertThat(check(f, rec).kind()).isEqualTo(AttemptCheck.Verdict.Kind.COUNTED);
  }

  @Test
  void check_edgeForgesNotCounted_answersDoNotOpenVerdictUnknown() {
    InMemoryFleet f = new InMemoryFleet(3, new DeterministicRandom("forge"));
    f.register(USER, PIN, SECRET, 5);
    Recovery rec = begin(f, WRONG);
    f.call(guess(f, rec)); // counted
    // the edge answers the check with members' genuine "not counted" answers to another question
    // (a check of an attempt never sent), hoping the client re-spends the guess
    Recovery other = begin(f, WRONG);
    guess(f, other);
    AttemptCheck otherCheck = other.attemptCheck().orElseThrow();
    Recover0Response genuineNotCounted = f.call(otherCheck.request());
    AttemptCheck mine = rec.attemptCheck().orElseThrow();
    mine.request();
    AttemptCheck.Verdict v = mine.verdict(genuineNotCounted);
    assertThat(v.kind()).isEqualTo(AttemptCheck.Verdict.Kind.UNKNOWN);
    assertThat(v.flagged()).containsExactlyInAnyOrder(1, 2, 3);
    // dropping answers only delays: one authenticated "counted" is not a verdict either way
    AttemptCheck partial = rec.attemptCheck().orElseThrow();
    Recover0Response all = f.call(partial.request());
    Recover0Response one = all.toBuilder().clearResults().addResults(all.getResults(0)).build();
    assertThat(partial.verdict(one).kind()).isEqualTo(AttemptCheck.Verdict.Kind.UNKNOWN);
  }

  @Test
  void check_oneMemberSilent_remainingMajorityDecides() {
    InMemoryFleet f = new InMemoryFleet(3, new DeterministicRandom("lie"));
    f.register(USER, PIN, SECRET, 5);
    Recovery rec = begin(f, WRONG);
    f.call(guess(f, rec));
    f.down.add(1); // one member silent: the two others still make a majority
    AttemptCheck.Verdict v = check(f, rec);
    assertThat(v.kind()).isEqualTo(AttemptCheck.Verdict.Kind.COUNTED);
    assertThat(v.guessesRemaining()).isEqualTo(4);
  }
}
