package dev.fleetvault.quorum.impl;

import static org.jgroups.protocols.raft.AppendResult.Result.FAIL_CONFLICTING_PREV_TERM;
import static org.jgroups.protocols.raft.AppendResult.Result.FAIL_ENTRY_NOT_FOUND;
import static org.jgroups.protocols.raft.AppendResult.Result.OK;

import java.util.Iterator;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.Message;
import org.jgroups.protocols.raft.AppendEntriesResponse;
import org.jgroups.protocols.raft.AppendResult;
import org.jgroups.protocols.raft.Follower;
import org.jgroups.protocols.raft.Log;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;

/**
 * A Raft follower that applies the AppendEntries rules of the Raft paper (Figure 2) to jgroups-raft
 * 1.1.4's messages.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>An entry is appended only after the entry before it was found with the leader's term
 *       ({@code prev_index}/{@code prev_term}); entries at or below this follower's commit index
 *       are taken as matching (Raft's Leader Completeness) and skipped.
 *   <li>An existing entry whose term differs from the leader's entry at the same index is deleted
 *       together with everything after it; entries already present with the same term are kept, not
 *       rewritten.
 *   <li>The <em>verified index</em> is the highest index known to hold the current term's leader's
 *       entries: at least the commit index, raised by each successful append to the last index that
 *       append covered, and reset when the term changes. The commit index only moves to {@code
 *       min(leader_commit, verified index)}; every answer reports the verified index, so the leader
 *       never counts an entry this follower does not hold. jgroups-raft's commit-only message
 *       carries no previous-entry check, which is exactly why the verified index, and not the last
 *       index in the log, bounds the commit.
 *   <li>Verified entries are never cut: a snapshot whose last index this follower already verified
 *       is not installed (see {@link #handleInstallSnapshotRequest}).
 *   <li>The leader is the authenticated sender ({@link FleetRaft#handleUpRequest} checked it is a
 *       configured member and the current term's leader), never an address named inside the
 *       message.
 *   <li>A snapshot is installed only if the ledger state machine verifies it (every signed command)
 *       and it contradicts nothing this replica holds, and only if it names the configured Raft
 *       members; otherwise it is refused with a warning: state, log and commit index stay as they
 *       were, nothing is acknowledged.
 * </ul>
 *
 * Runs on RAFT's single processing thread (no locking needed).
 */
final class FleetFollower extends Follower {
  private final FleetRaft fleetRaft;
  private long verifiedTerm = -1;
  private long verifiedIndex;

  FleetFollower(FleetRaft raft) {
    super(raft);
    this.fleetRaft = raft;
  }

  /** The highest index known to match the current term's leader's log. */
  long verifiedIndex() {
    forgetVerifiedOnNewTerm();
    return Math.max(verifiedIndex, fleetRaft.commitIndex());
  }

  /** A new term has a new leader: what the old one verified says nothing about its log. */
  private void forgetVerifiedOnNewTerm() {
    long term = fleetRaft.currentTerm();
    if (term != verifiedTerm) {
      verifiedTerm = term;
      verifiedIndex = 0;
    }
  }

  @Override
  public AppendResult handleAppendEntriesRequest(
      LogEntries entries,
      Address leader,
      long prevIndex,
      long prevTerm,
      long entryTerm,
      long leaderCommit) {
    if (fleetRaft.sender() != null) leader = fleetRaft.sender();
    fleetRaft.leader(leader);
    forgetVerifiedOnNewTerm();
    if (entries == null || entries.size() == 0) return commitAndAnswer(leaderCommit);

    Log log = fleetRaft.log();
    long commit = fleetRaft.commitIndex();
    long index = prevIndex + 1;
    Iterator<LogEntry> it = entries.iterator();
    while (index <= commit && it.hasNext()) { // committed here, hence identical to the leader's
      it.next();
      index++;
    }
    if (index == prevIndex + 1 && prevIndex > commit) {
      LogEntry prev = log.get(prevIndex);
      if (prev == null) return refuse(new AppendResult(FAIL_ENTRY_NOT_FOUND, verifiedIndex()));
      if (prev.term() != prevTerm)
        return refuse(new AppendResult(FAIL_CONFLICTING_PREV_TERM, verifiedIndex(), prev.term()));
    }

    LogEntries fresh = null;
    long freshStart = 0;
    while (it.hasNext()) {
      LogEntry e = it.next();
      if (fresh == null) {
        LogEntry existing = index <= fleetRaft.lastAppended() ? log.get(index) : null;
        if (existing != null && existing.term() == e.term()) {
          index++;
          continue;
        }
        if (existing != null) {
          fleetRaft.deleteFrom(index);
          verifiedIndex = Math.min(verifiedIndex, index - 1);
        }
        fresh = new LogEntries();
        freshStart = index;
      }
      fresh.add(e);
      index++;
    }
    if (fresh != null && fleetRaft.stateMachine() instanceof LedgerStateMachine sm) {
      // signatures inside are verified on the verification pool while the entries wait for their
      // commit
      for (LogEntry e : fresh)
        if (!e.internal() && e.command() != null)
          sm.verdicts().prefetch(e.command(), e.offset(), e.length());
    }
    if (fresh != null && !fleetRaft.appendAt(freshStart, fresh)) {
      fleetRaft
          .logger()
          .error(
              "%s: cannot append at %d: log ends at %d",
              fleetRaft.getAddress(), freshStart, fleetRaft.lastAppended());
      return refuse(new AppendResult(FAIL_ENTRY_NOT_FOUND, verifiedIndex()));
    }
    verifiedIndex = Math.max(verifiedIndex, prevIndex + entries.size());
    return commitAndAnswer(leaderCommit);
  }

  /**
   * Whether this replica already holds everything up to {@code index}: verified entries of the
   * current leader, committed entries, or its own snapshot. A snapshot up to such an index is not
   * installed but acknowledged.
   */
  boolean holdsUpTo(long index) {
    return index
        <= Math.max(
            verifiedIndex(), Math.max(fleetRaft.commitIndex(), fleetRaft.log().firstAppended()));
  }

  /**
   * Why the snapshot in {@code msg} must not be installed, or null (a state machine that cannot
   * check accepts).
   */
  String snapshotRefusal(Message msg) {
    if (!(fleetRaft.stateMachine() instanceof LedgerStateMachine sm)) return null;
    if (msg.getArray() == null) return "empty snapshot";
    try {
      org.jgroups.util.ByteArrayDataInputStream in =
          new org.jgroups.util.ByteArrayDataInputStream(
              msg.getArray(), msg.getOffset(), msg.getLength());
      org.jgroups.protocols.raft.PersistentState members =
          new org.jgroups.protocols.raft.PersistentState();
      members.readFrom(in);
      if (!members.getMembers().isEmpty()
          && !new java.util.HashSet<>(members.getMembers())
              .equals(new java.util.HashSet<>(fleetRaft.members())))
        return "it names other Raft members than the configured ones";
      return sm.refusalOf(in);
    } catch (java.io.IOException | RuntimeException e) {
      return "unreadable snapshot: " + e.getMessage();
    }
  }

  private AppendResult commitAndAnswer(long leaderCommit) {
    long verified = verifiedIndex();
    if (leaderCommit > fleetRaft.commitIndex())
      fleetRaft.commitTo(Math.min(leaderCommit, verified), false);
    return new AppendResult(OK, verified).commitIndex(fleetRaft.commitIndex());
  }

  private AppendResult refuse(AppendResult result) {
    return result.commitIndex(fleetRaft.commitIndex());
  }

  /**
   * Installs the leader's snapshot, unless this follower already holds every entry it covers as
   * this leader has them (its verified index reaches the snapshot's last index): then, as Raft's
   * InstallSnapshot rule says, it keeps its log, commits up to the snapshot's index and answers
   * with its verified index. Installing anyway would cut verified entries the leader already counts
   * as held here.
   */
  @Override
  public void handleInstallSnapshotRequest(
      Message msg, Address leader, long lastIncludedIndex, long lastIncludedTerm) {
    if (fleetRaft.sender() != null) leader = fleetRaft.sender();
    long verified = verifiedIndex();
    // the replica's own snapshot index counts too: after a kill -9 the persisted commit index can
    // lag the
    // snapshot this replica already took (and restored its state from)
    long committed = Math.max(fleetRaft.commitIndex(), fleetRaft.log().firstAppended());
    if (lastIncludedIndex <= Math.max(verified, committed)) {
      // this replica already holds (verified) or applied (committed: equal to the leader's by
      // Leader
      // Completeness) everything the snapshot covers: keep the state, install nothing, and tell the
      // leader
      // where this follower is so it sends entries from there instead of the snapshot again. After
      // a
      // whole-fleet restart a leader whose own snapshot is older than a follower's applied state
      // sends
      // one; refusing it without an answer made the leader re-send it forever.
      if (lastIncludedIndex <= verified && lastIncludedIndex > fleetRaft.commitIndex())
        fleetRaft.commitTo(lastIncludedIndex, false);
      long reported =
          Math.max(verified, Math.max(fleetRaft.commitIndex(), fleetRaft.log().firstAppended()));
      AppendResult result = new AppendResult(OK, reported).commitIndex(fleetRaft.commitIndex());
      Message ack =
          new EmptyMessage(leader)
              .putHeader(
                  fleetRaft.getId(), new AppendEntriesResponse(fleetRaft.currentTerm(), result));
      fleetRaft.getDownProtocol().down(ack);
      return;
    }
    String refusal = snapshotRefusal(msg);
    if (refusal != null) {
      fleetRaft
          .logger()
          .warn(
              "%s: REFUSED the snapshot from %s (up to index %d): %s; keeping the current state",
              fleetRaft.getAddress(), leader, lastIncludedIndex, refusal);
      return;
    }
    fleetRaft.leader(leader);
    super.handleInstallSnapshotRequest(msg, leader, lastIncludedIndex, lastIncludedTerm);
    verifiedTerm = fleetRaft.currentTerm();
    verifiedIndex = fleetRaft.commitIndex();
  }
}
