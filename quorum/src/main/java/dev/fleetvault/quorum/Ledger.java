package dev.fleetvault.quorum;

import java.util.concurrent.CompletionStage;

/**
 * The Raft ledger as seen from one node: submit member-signed commands, read rows linearizably.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Every request has a deadline ({@link QuorumConfig#requestTimeout()}) and completes by then;
 *       the returned stage never completes exceptionally.
 *   <li>A request is committed by a majority and applied before it completes with {@link
 *       LedgerResult.Committed}. Requests are sent to the leader (forwarded if this node is a
 *       follower); a new leader first commits a no-op of its own term and serves only after that.
 *   <li>Every replica verifies the command's signature against the member's key inside {@code
 *       apply} and refuses replays through the per-row sequence number; refusals are {@link
 *       LedgerResult.Rejected} and change nothing. Commands are idempotent under their request id:
 *       resubmitting the same command after a timeout returns the first result.
 *   <li>Reads go through the log (a read entry is committed and answered in log order), so they see
 *       every command committed before the read started.
 *   <li>In-flight requests per node are bounded ({@link QuorumConfig#maxInFlight()}); beyond it a
 *       request completes at once with {@link RejectReason#OVERLOADED}.
 * </ul>
 */
public interface Ledger {
  /** Submits one signed command; see the class guarantees. */
  CompletionStage<LedgerResult<CommandOutcome>> submit(SignedCommand command);

  /** Linearizable read of member {@code memberId}'s row for {@code user}. */
  CompletionStage<LedgerResult<RowView>> readRow(String user, int memberId);

  /**
   * Whether attempt {@code attemptId} is counted on registration {@code (user, version)} in its
   * current generation, from THIS node's replica as of its last applied entry. Call it after a
   * {@link #readRow} of {@code user} completed: the answer then reflects at least every command
   * committed before that read.
   */
  boolean countedLocally(String user, long version, byte[] attemptId);

  /** Whether the ledger sees a majority of members and a leader that serves. */
  boolean majorityReachable();
}
