package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.MemberResponse;
import java.util.Objects;

/** What the gateway must do with a phase-1 request (see {@link MemberLogic#recover1}). */
public sealed interface Recover1Step permits Recover1Step.CommitAttempt, Recover1Step.Reply {

  /**
   * Commit this member's signed {@code attempt(user, attemptId)} through the ledger. If it is
   * committed within the limit, call {@link MemberLogic#recover1Granted} with an
   * {@link AttemptGranted}; if the ledger refuses it because the limit is reached (and
   * destroys the record), call {@link MemberLogic#recover1NoGuesses}; on NoMajority/Timeout
   * answer UNAVAILABLE and evaluate nothing.
   */
  record CommitAttempt(byte[] attemptId) implements Recover1Step {
    public CommitAttempt {
      attemptId = Objects.requireNonNull(attemptId, "attemptId").clone();
    }

    @Override
    public byte[] attemptId() {
      return attemptId.clone();
    }
  }

  /** Send this answer; commit nothing (not registered, no guesses, version mismatch). */
  record Reply(MemberResponse response) implements Recover1Step {
    public Reply {
      Objects.requireNonNull(response, "response");
    }
  }
}
