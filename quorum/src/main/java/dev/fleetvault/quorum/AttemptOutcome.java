package dev.fleetvault.quorum;

import java.util.Optional;

/**
 * The member-level answer to {@link MemberLedger#attempt}: whether the member may evaluate this
 * guess. A member evaluates only on {@link Allowed}, which is only ever returned inside a
 * {@link LedgerResult.Committed} (the attempt was counted by a majority first).
 */
public sealed interface AttemptOutcome permits AttemptOutcome.Allowed, AttemptOutcome.Refused {

    /**
     * The attempt is counted; evaluate it.
     *
     * @param version          the record version the attempt counts against
     * @param guessesRemaining guesses left after this one
     * @param finalRecord      present only when this attempt used the last guess: the ledger moved the row
     *                         to {@link RowState#NO_GUESSES} in the same command and the client deleted the
     *                         sealed record from the store everywhere after reading it; this is the last copy,
     *                         to evaluate this one guess from (and then wipe)
     */
    record Allowed(long version, int guessesRemaining, Optional<byte[]> finalRecord) implements AttemptOutcome { }

    /**
     * The attempt is not counted and must not be evaluated.
     *
     * @param state why: {@link RowState#NO_GUESSES}, {@link RowState#DELETED} or {@link RowState#NOT_REGISTERED}
     */
    record Refused(RowState state) implements AttemptOutcome { }
}
