package dev.fleetvault.quorum;

import java.util.concurrent.CompletionStage;

/**
 * The ledger client of one member: numbers, signs (through the member's {@link CommandSigner}) and
 * submits commands on that member's own rows, and nothing else.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Commands on one row are sent one at a time in sequence order; the client learns a row's
 *       sequence number from a linearizable read and re-reads it after a
 *       {@link RejectReason#STALE_SEQUENCE} (another client of the same member, e.g. after a restart),
 *       then re-signs and retries until the deadline.</li>
 *   <li>A request that timed out is resubmitted with the same request id, so it is applied at most once.</li>
 *   <li>Every call completes within about the node's request timeout and never exceptionally.</li>
 *   <li>Only {@link LedgerResult.Committed} means the change is agreed by a majority.</li>
 * </ul>
 */
public interface MemberLedger {
    /** This client's member id. */
    int memberId();

    /**
     * Registers record {@code version} (a new version must be newer than the row's) with the SHA-256
     * digest of the member's sealed record and the guess limit; resets the counter.
     */
    CompletionStage<LedgerResult<RowView>> register(String user, long version, byte[] recordDigest, int guessLimit);

    /**
     * Counts one recovery attempt with id {@code attemptId} (32 bytes, e.g. {@code H(u, B, nonce)}).
     * Evaluate only on {@code Committed(Allowed)}. The attempt that uses the last guess moves the row to
     * {@link RowState#NO_GUESSES}; the client then deletes the sealed record everywhere and hands back
     * the last copy in {@link AttemptOutcome.Allowed#finalRecord()}. Repeating the latest attempt id is
     * answered again without counting.
     */
    CompletionStage<LedgerResult<AttemptOutcome>> attempt(String user, byte[] attemptId);

    /** The latest counted attempt {@code attemptId} succeeded: counter back to zero. */
    CompletionStage<LedgerResult<RowView>> succeed(String user, byte[] attemptId);

    /** Deletes this member's row (and then its sealed records from the store). */
    CompletionStage<LedgerResult<RowView>> delete(String user);

    /** Linearizable read of this member's row for {@code user}. */
    CompletionStage<LedgerResult<RowView>> readRow(String user);
}
