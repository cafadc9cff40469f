package dev.fleetvault.quorum;

import java.util.concurrent.CompletionStage;

/**
 * The ledger client of one member: numbers, signs (through the member's {@link CommandSigner}) and
 * submits commands on that member's own rows, and nothing else.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Own replica only.</b> Every {@link LedgerResult.Committed} result is what THIS node's
 *       own state machine computed when it applied this member's own signed command (or, for {@link
 *       #readRow}, the read entry); nothing another node sends (a forwarded answer, a leader's
 *       reply) is ever taken as a result. Witnesses ({@link
 *       dev.fleetvault.protocol.flow.CommitWitness}) are created only here, only from that local
 *       outcome, only for this member's commands.
 *   <li>Commands on one row are sent one at a time in sequence order; the client learns a row's
 *       sequence number from a read through the log and re-reads it after a {@link
 *       RejectReason#STALE_SEQUENCE} (another client of the same member, e.g. after a restart),
 *       then re-signs and retries until the deadline.
 *   <li>A request that timed out is resubmitted with the same request id, so it is applied at most
 *       once; an attempt id is counted at most once per registration generation whatever is
 *       resubmitted.
 *   <li>Every call completes within about the node's request timeout and never exceptionally.
 *   <li>Only {@link LedgerResult.Committed} means the change is agreed by a majority.
 * </ul>
 */
public interface MemberLedger {
  /** This client's member id. */
  int memberId();

  /**
   * Registers record {@code version} (newer than the row's, at most {@link
   * LedgerCommand#MAX_RECORD_VERSION}) with the SHA-256 digest of the member's sealed record and
   * the guess limit; the row joins the registration {@code (user, version)} (created at generation
   * 1 if no member registered it yet).
   */
  CompletionStage<LedgerResult<RowView>> register(
      String user, long version, byte[] recordDigest, int guessLimit);

  /**
   * Counts the fleet-wide attempt {@code attemptId} (32 bytes, the same at every member) on the
   * registration {@code (user, version)} in {@code generation}, against this member's guess limit.
   * Evaluate only on {@code Committed(Allowed)}; its witness ({@code ATTEMPT_GRANTED}) is made from
   * THIS node's replica. The attempt that uses this member's last guess moves the row to {@link
   * RowState#NO_GUESSES}; the client then deletes the sealed record everywhere and hands back the
   * last copy in {@link AttemptOutcome.Allowed#finalRecord()}. An id already counted (by another
   * member or a retry) is granted again without counting. A {@code version}/{@code recordDigest}
   * other than the row's is {@code Rejected(VERSION_MISMATCH)}, a generation other than the
   * registration's is {@code Rejected(STALE_GENERATION)}.
   */
  CompletionStage<LedgerResult<AttemptOutcome>> attempt(
      String user, long version, byte[] recordDigest, long generation, byte[] attemptId);

  /**
   * This member saw the counted attempt {@code attemptId} succeed. {@code Committed} carries a
   * {@code SUCCEEDED} witness made from THIS node's replica; the registration's count resets only
   * when {@code t} members' successes for the same attempt are applied. An id not counted in the
   * current generation is {@code Rejected(NOT_COUNTED)}.
   */
  CompletionStage<LedgerResult<SucceedOutcome>> succeed(
      String user, long version, byte[] recordDigest, long generation, byte[] attemptId);

  /** Deletes this member's row (and then its sealed records from the store). */
  CompletionStage<LedgerResult<RowView>> delete(String user);

  /**
   * Read of this member's row for {@code user} through the log, answered by THIS node's replica.
   */
  CompletionStage<LedgerResult<RowView>> readRow(String user);

  /**
   * Whether attempt {@code attemptId} (32 bytes) is counted on registration {@code (user, version)}
   * in its current generation, from THIS node's replica (PROTOCOL.md 9.1a). Call it after a {@link
   * #readRow} of {@code user} completed; the answer reflects at least every command committed
   * before that read.
   */
  boolean countedSinceRead(String user, long version, byte[] attemptId);
}
