package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.MemberResponse;
import java.util.Objects;

/** What the gateway must do with a phase-2 request (see {@link MemberLogic#recover2}). */
public sealed interface Recover2Step permits Recover2Step.CommitSuccess, Recover2Step.Reply {

  /**
   * Effect: the tag matched. Commit this member's signed {@code succeed(ledgerKey, member, version,
   * recordDigest, generation, attemptId)}; if this node's own replica applied it, call {@link
   * MemberLogic#recover2Release} with the record plaintext and the SUCCEEDED witness. If the ledger
   * refuses it (NOT_COUNTED: a replay, a stale generation, an id never counted) answer an error and
   * release nothing. No share exists in this step.
   */
  record CommitSuccess(long version, byte[] recordDigest, long generation, byte[] attemptId)
      implements Recover2Step {
    public CommitSuccess {
      recordDigest = Objects.requireNonNull(recordDigest, "recordDigest").clone();
      attemptId = Objects.requireNonNull(attemptId, "attemptId").clone();
    }

    @Override
    public byte[] recordDigest() {
      return recordDigest.clone();
    }

    @Override
    public byte[] attemptId() {
      return attemptId.clone();
    }

    @Override
    public String toString() {
      return "CommitSuccess[version=" + version + ", generation=" + generation + "]";
    }
  }

  /**
   * Effect: send this answer; commit nothing (wrong tag, not registered, no guesses, version
   * mismatch).
   */
  record Reply(MemberResponse response) implements Recover2Step {
    public Reply {
      Objects.requireNonNull(response, "response");
    }
  }
}
