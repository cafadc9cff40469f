package dev.fleetvault.systest.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.systest.campaign.Op.Kind;
import dev.fleetvault.systest.campaign.Op.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The campaign's checker finds each kind of violation in a made-up history, and none in a clean
 * one.
 */
class CheckerTest {
  private final List<Op> ops = new ArrayList<>();
  private long clock;

  private void op(
      Kind kind, String user, int version, Outcome outcome, int remaining, int recovered) {
    long start = clock += 10_000_000L; // 10 ms steps
    long end = clock += 10_000_000L;
    ops.add(new Op("s", kind, user, version, start, end, outcome, remaining, recovered, ""));
  }

  private void register(String user, int version, Outcome outcome) {
    op(Kind.REGISTER, user, version, outcome, -1, -1);
  }

  private void wrong(String user, Outcome outcome, int remaining) {
    op(Kind.RECOVER_WRONG_PIN, user, 0, outcome, remaining, -1);
  }

  private void right(String user, Outcome outcome, int recovered) {
    op(Kind.RECOVER_RIGHT_PIN, user, 0, outcome, -1, recovered);
  }

  @Test
  void check_cleanHistoryWithFaults_noViolations() {
    register("a", 1, Outcome.REGISTERED);
    wrong("a", Outcome.WRONG_PIN, 9);
    wrong("a", Outcome.UNAVAILABLE, -1);
    wrong("a", Outcome.WRONG_PIN, 7);
    right("a", Outcome.RECOVERED, 1);
    wrong("a", Outcome.WRONG_PIN, 9);
    register("a", 2, Outcome.UNANSWERED);
    right("a", Outcome.RECOVERED, 2); // the unanswered registration happened: allowed
    register("b", 1, Outcome.UNAVAILABLE);
    right("b", Outcome.NOT_REGISTERED, -1); // never acknowledged: not lost
    right("a", Outcome.RECOVERED, 2);
    Checker.Verdict v = Checker.check(ops);
    assertThat(v.violations()).isEmpty();
    assertThat(v.lost()).isZero();
    assertThat(v.unanswered()).isEqualTo(1);
    assertThat(v.acknowledged()).isEqualTo(8);
  }

  @Test
  void check_wrongPinReportsMoreGuessesWithoutReset_regained() {
    register("a", 1, Outcome.REGISTERED);
    wrong("a", Outcome.WRONG_PIN, 9);
    wrong("a", Outcome.WRONG_PIN, 8);
    wrong("a", Outcome.WRONG_PIN, 9);
    assertThat(Checker.check(ops).regained()).isEqualTo(1);
  }

  @Test
  void check_unavailableRightPinBetween_mayHaveResetSoNotRegained() {
    register("a", 1, Outcome.REGISTERED);
    wrong("a", Outcome.WRONG_PIN, 9);
    right("a", Outcome.UNAVAILABLE, -1);
    wrong("a", Outcome.WRONG_PIN, 9);
    assertThat(Checker.check(ops).violations()).isEmpty();
  }

  @Test
  void check_olderVersionAfterNewerAcknowledged_stale() {
    register("a", 1, Outcome.REGISTERED);
    register("a", 2, Outcome.REGISTERED);
    right("a", Outcome.RECOVERED, 1);
    assertThat(Checker.check(ops).staleOrForeign()).isEqualTo(1);
  }

  @Test
  void check_secretOfNoVersion_foreign() {
    register("a", 1, Outcome.REGISTERED);
    right("a", Outcome.RECOVERED, 0);
    assertThat(Checker.check(ops).staleOrForeign()).isEqualTo(1);
  }

  @Test
  void check_acknowledgedThenNotRegistered_lost() {
    register("a", 1, Outcome.REGISTERED);
    right("a", Outcome.NOT_REGISTERED, -1);
    assertThat(Checker.check(ops).lost()).isEqualTo(1);
  }

  @Test
  void check_finalVerificationUnavailable_lostOrUnreachable() {
    register("a", 1, Outcome.REGISTERED);
    right("a", Outcome.RECOVERED, 1);
    right("a", Outcome.UNAVAILABLE, -1);
    Checker.Verdict v = Checker.check(ops);
    assertThat(v.lost()).isEqualTo(1);
    assertThat(v.violations()).singleElement().asString().contains("final verification");
  }

  @Test
  void availableAfter_firstAcknowledgedCallStartedAfterHeal_itsEnd() {
    register("a", 1, Outcome.REGISTERED); // 10..20 ms
    register("a", 2, Outcome.UNAVAILABLE); // 30..40 ms
    register("a", 3, Outcome.REGISTERED); // 50..60 ms
    register("a", 4, Outcome.REGISTERED); // 70..80 ms
    assertThat(Checker.availableAfter(ops, 25_000_000L)).isEqualTo(35);
    assertThat(Checker.availableAfter(ops, 75_000_000L)).isEqualTo(-1);
  }
}
