package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.MemberResponse;
import java.util.Objects;

/** What the gateway must do with a phase-2 request (see {@link MemberLogic#recover2}). */
public sealed interface Recover2Step permits Recover2Step.CommitSuccess, Recover2Step.CommitDestroy, Recover2Step.Reply {

  /**
   * The tag matched. Commit this member's signed {@code succeed(user, attemptId)} (counter back
   * to zero); ONLY if it is committed, send {@code responseAfterCommit} (it holds the masked
   * share). If the ledger refuses it (the attempt id is not the latest counted attempt: a
   * replay) or cannot commit, send an error status and never this response.
   */
  record CommitSuccess(byte[] attemptId, MemberResponse responseAfterCommit) implements Recover2Step {
    public CommitSuccess {
      attemptId = Objects.requireNonNull(attemptId, "attemptId").clone();
      Objects.requireNonNull(responseAfterCommit, "responseAfterCommit");
    }

    @Override
    public byte[] attemptId() {
      return attemptId.clone();
    }

    @Override
    public String toString() {
      return "CommitSuccess";
    }
  }

  /**
   * Wrong tag on the last allowed guess: commit this member's signed deletion as "no guesses"
   * (destroying the record share), remove the sealed record, then send {@code response}
   * (WRONG_TAG, 0 remaining).
   */
  record CommitDestroy(MemberResponse response) implements Recover2Step {
    public CommitDestroy {
      Objects.requireNonNull(response, "response");
    }
  }

  /** Send this answer; commit nothing (wrong tag with guesses left, not registered, ...). */
  record Reply(MemberResponse response) implements Recover2Step {
    public Reply {
      Objects.requireNonNull(response, "response");
    }
  }
}
