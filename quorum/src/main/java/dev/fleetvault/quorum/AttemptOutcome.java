package dev.fleetvault.quorum;

import dev.fleetvault.protocol.flow.CommitWitness;
import java.util.Objects;
import java.util.Optional;

/**
 * The member-level answer to {@link MemberLedger#attempt}: whether the member may evaluate this
 * guess.
 *
 * <p>Guarantees: {@link Allowed} is only ever returned inside a {@link LedgerResult.Committed},
 * built from the outcome that THIS node's own replica of the ledger computed when it applied the
 * member's own signed {@code ATTEMPT} (never from an answer forwarded by another node); its {@link
 * CommitWitness} is of kind {@link CommitWitness.Kind#ATTEMPT_GRANTED} and names exactly the
 * member, ledger key, record version and digest, generation and attempt id that were counted.
 */
public sealed interface AttemptOutcome permits AttemptOutcome.Allowed, AttemptOutcome.Refused {

  /**
   * The attempt is counted in the registration's fleet-wide set (now or by an earlier command for
   * the same attempt id); evaluate it, once.
   *
   * @param witness proof of the applied command, of kind {@link
   *     CommitWitness.Kind#ATTEMPT_GRANTED}; {@code witness.guessesRemaining()} is the
   *     registration's remaining guesses
   * @param finalRecord present iff {@code witness.lastGuess()}: this attempt used the last guess,
   *     the ledger moved the row to {@link RowState#NO_GUESSES} in the same command and the member
   *     client deleted the sealed record from the store after reading it; this is the last copy, to
   *     evaluate this one guess from (and then wipe). May be empty even then if the store could not
   *     be read: then nothing can be evaluated
   */
  record Allowed(CommitWitness witness, Optional<byte[]> finalRecord) implements AttemptOutcome {
    public Allowed {
      Objects.requireNonNull(witness, "witness");
      Objects.requireNonNull(finalRecord, "finalRecord");
      if (finalRecord.isPresent() && !witness.lastGuess())
        throw new IllegalArgumentException("a final record comes only with the last guess");
    }
  }

  /**
   * The attempt is not counted and must not be evaluated.
   *
   * @param state why: {@link RowState#NO_GUESSES} (also when the registration's count is
   *     exhausted), {@link RowState#DELETED} or {@link RowState#NOT_REGISTERED}
   */
  record Refused(RowState state) implements AttemptOutcome {
    public Refused {
      Objects.requireNonNull(state, "state");
    }
  }
}
