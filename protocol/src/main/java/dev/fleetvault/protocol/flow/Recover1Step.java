package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.MemberResponse;
import java.util.Objects;

/** What the gateway must do with a phase-1 request (see {@link MemberLogic#recover1}). */
public sealed interface Recover1Step permits Recover1Step.CommitAttempt, Recover1Step.Reply {

  /**
   * Effect: commit this member's signed {@code attempt(ledgerKey, member, version, recordDigest,
   * generation, attemptId)}. Then, from this node's own replica's outcome:
   *
   * <ul>
   *   <li>Allowed(witness, finalRecord): unseal the record (the final copy if {@code
   *       witness.lastGuess()}, else the stored one at {@code version}) and call {@link
   *       MemberLogic#recover1Evaluate} with the plaintext and the witness;
   *   <li>Refused(NO_GUESSES): {@link MemberLogic#recover1NoGuesses};
   *   <li>Rejected(VERSION_MISMATCH | STALE_GENERATION): {@link MemberLogic#recover1Stale};
   *   <li>anything else (no majority, timeout): an UNAVAILABLE error; nothing is evaluated.
   * </ul>
   */
  record CommitAttempt(long version, byte[] recordDigest, long generation, byte[] attemptId)
      implements Recover1Step {
    public CommitAttempt {
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
      return "CommitAttempt[version=" + version + ", generation=" + generation + "]";
    }
  }

  /**
   * Effect: send this answer; commit nothing (not registered, no guesses, version or generation
   * mismatch, passkey refused). {@code passkeyRefusal} names the failed passkey check (PROTOCOL.md
   * 21.6; for logs and metrics, never a secret), or is null.
   */
  record Reply(MemberResponse response, String passkeyRefusal) implements Recover1Step {
    public Reply {
      Objects.requireNonNull(response, "response");
    }

    /** An answer that is not a passkey refusal. */
    public Reply(MemberResponse response) {
      this(response, null);
    }
  }
}
