package dev.fleetvault.systest.campaign;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a scenario's history against what the fleet promises, user by user (one user's calls are
 * sequential):
 *
 * <ul>
 *   <li><b>lost</b>: after a registration was acknowledged, a right-PIN recovery answered "not
 *       registered", "no guesses" or "wrong PIN" (the PIN never changes), or a wrong-PIN recovery
 *       answered "not registered"; or the user's last recovery (the verification after the run) did
 *       not return the secret;
 *   <li><b>guesses regained</b>: a wrong-PIN answer reported more guesses remaining than the last
 *       known count minus one, with no acknowledged or possible reset (registration, right-PIN
 *       recovery) in between;
 *   <li><b>stale or foreign</b>: a recovery returned a secret that is none of the user's versions,
 *       or a version older than one whose registration was acknowledged before the recovery
 *       started;
 *   <li><b>unanswered</b>: no answer (not even "unavailable" or a clear error) within the operation
 *       deadline.
 * </ul>
 */
public final class Checker {
  private Checker() {}

  /** What the checker found. */
  public record Verdict(
      int attempted,
      int acknowledged,
      int lost,
      int regained,
      int staleOrForeign,
      int unanswered,
      int errors,
      List<String> violations) {}

  /** Checks {@code ops} (one scenario, verification included). */
  public static Verdict check(List<Op> ops) {
    Map<String, List<Op>> byUser = new LinkedHashMap<>();
    for (Op op : ops) {
      byUser.computeIfAbsent(op.user(), k -> new ArrayList<>()).add(op);
    }
    int acknowledged = 0;
    int unanswered = 0;
    int errors = 0;
    for (Op op : ops) {
      if (op.outcome().acknowledged()) {
        acknowledged++;
      } else if (op.outcome() == Op.Outcome.UNANSWERED) {
        unanswered++;
      } else if (op.outcome() == Op.Outcome.ERROR) {
        errors++;
      }
    }
    int lost = 0;
    int regained = 0;
    int stale = 0;
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, List<Op>> e : byUser.entrySet()) {
      List<Op> seq = new ArrayList<>(e.getValue());
      seq.sort(Comparator.comparingLong(Op::startNanos));
      List<Op> acked = new ArrayList<>();
      int bound = Integer.MAX_VALUE;
      boolean lostHere = false;
      for (Op op : seq) {
        int latestAcked = 0;
        for (Op r : acked) {
          if (r.endNanos() < op.startNanos()) {
            latestAcked = Math.max(latestAcked, r.version());
          }
        }
        switch (op.kind()) {
          case REGISTER -> {
            if (op.outcome() == Op.Outcome.REGISTERED) {
              acked.add(op);
            }
            bound =
                LoadDriver
                    .GUESS_LIMIT; // a registration (even an unacknowledged one) may have reset
          }
          case RECOVER_RIGHT_PIN -> {
            switch (op.outcome()) {
              case RECOVERED -> {
                if (op.recoveredVersion() == 0) {
                  stale++;
                  violations.add(
                      e.getKey()
                          + ": recovery returned a secret that is none of the user's (foreign)");
                } else if (op.recoveredVersion() < latestAcked) {
                  stale++;
                  violations.add(
                      e.getKey()
                          + ": recovery returned version "
                          + op.recoveredVersion()
                          + " after version "
                          + latestAcked
                          + " was acknowledged (stale)");
                }
                bound = LoadDriver.GUESS_LIMIT;
              }
              case NOT_REGISTERED, NO_GUESSES, WRONG_PIN -> {
                if (latestAcked > 0 && !lostHere) {
                  lostHere = true;
                  violations.add(
                      e.getKey()
                          + ": right-PIN recovery answered "
                          + op.outcome()
                          + " after version "
                          + latestAcked
                          + " was acknowledged (lost)");
                }
              }
              default -> bound = LoadDriver.GUESS_LIMIT; // may have succeeded and reset
            }
          }
          case RECOVER_WRONG_PIN -> {
            if (op.outcome() == Op.Outcome.WRONG_PIN) {
              if (bound != Integer.MAX_VALUE && op.guessesRemaining() > bound - 1) {
                regained++;
                violations.add(
                    e.getKey()
                        + ": "
                        + op.guessesRemaining()
                        + " guesses remaining reported, at most "
                        + (bound - 1)
                        + " possible (guesses regained)");
              }
              bound = op.guessesRemaining();
            } else if (op.outcome() == Op.Outcome.NOT_REGISTERED && latestAcked > 0 && !lostHere) {
              lostHere = true;
              violations.add(
                  e.getKey()
                      + ": wrong-PIN recovery answered NOT_REGISTERED after version "
                      + latestAcked
                      + " was acknowledged (lost)");
            }
          }
          default -> throw new IllegalStateException("unknown kind " + op.kind());
        }
      }
      // The last call is the verification after the run: an acknowledged registration must still be
      // there.
      Op last = seq.get(seq.size() - 1);
      if (!acked.isEmpty()
          && !lostHere
          && last.kind() == Op.Kind.RECOVER_RIGHT_PIN
          && last.outcome() != Op.Outcome.RECOVERED) {
        lostHere = true;
        violations.add(
            e.getKey()
                + ": final verification answered "
                + last.outcome()
                + " "
                + last.detail()
                + " for an acknowledged registration (lost or unreachable)");
      }
      if (lostHere) {
        lost++;
      }
    }
    return new Verdict(
        ops.size(), acknowledged, lost, regained, stale, unanswered, errors, violations);
  }

  /**
   * Milliseconds from {@code healNanos} to the end of the first call that started at or after it
   * and was acknowledged; -1 if none.
   */
  public static long availableAfter(List<Op> ops, long healNanos) {
    return ops.stream()
        .filter(o -> o.startNanos() >= healNanos && o.outcome().acknowledged())
        .mapToLong(o -> (o.endNanos() - healNanos) / 1_000_000)
        .min()
        .orElse(-1);
  }

  /** Calls that started in [from, to) and were acknowledged. */
  public static long acknowledgedBetween(List<Op> ops, long from, long to) {
    return ops.stream()
        .filter(o -> o.startNanos() >= from && o.startNanos() < to && o.outcome().acknowledged())
        .count();
  }
}
