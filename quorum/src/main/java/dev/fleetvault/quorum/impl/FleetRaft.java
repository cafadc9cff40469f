package dev.fleetvault.quorum.impl;

import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.ObjectMessage;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.raft.AppendEntriesRequest;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.RaftImpl;
import org.jgroups.protocols.raft.Role;
import org.jgroups.raft.util.CommitTable;
import org.jgroups.raft.util.RequestTable;
import org.jgroups.raft.util.Utils;

/**
 * jgroups-raft 1.1.4's {@link RAFT} with its replication path corrected. Configure it with RAFT's
 * own {@code send_commits_immediately="false"} and this protocol's {@code
 * fleet_send_commits_immediately="true"}.
 *
 * <ol>
 *   <li><b>Log matching on followers</b> ({@link FleetFollower}). 1.1.4's follower skips an
 *       AppendEntries batch whose first index it already holds, answers "OK" with its <em>own</em>
 *       last index, and commits up to that index. A follower that restarted holding a
 *       never-committed suffix from a dead leader's term therefore committed and applied that stale
 *       suffix, the leader counted it as a replica of its own, different entries, and the follower
 *       never converged again (found by {@code CrashRestartTest}: kill -9 of a follower, then of
 *       the leader, under load). The follower here applies the Raft rules (previous-entry check,
 *       delete from the first conflicting entry, append what is new, commit at most up to what this
 *       leader has verified) and only ever reports indexes it verified.
 *   <li><b>Truthful commit table on the leader</b> ({@link FleetLeader}): a follower's answer moves
 *       its match index only to what the follower verified, and a failed append resumes from there
 *       in batches of at most {@link #MAX_RESEND_ENTRIES}, instead of one entry per re-send
 *       interval.
 *   <li><b>Re-send under load.</b> 1.1.4 re-sends missing entries to lagging followers only after
 *       its queue stayed empty for a whole {@code resend_interval}; under steady load a restarted
 *       follower never caught up. Here the re-send also runs every {@code resend_interval} while
 *       busy.
 *   <li><b>Commit messages without a storm.</b> 1.1.4's {@code send_commits_immediately} answers
 *       every append response with an empty commit message to every follower whose commit index is
 *       behind; a follower that lacks entries answers again, and the two ping-pong at network speed
 *       (580k messages in 5 s, 2 million queued, 5 GB heap observed here). Here a leader sends one
 *       commit message per follower when its own commit index advances, capped at that follower's
 *       match index.
 *   <li><b>Authenticated leadership.</b> AppendEntries and InstallSnapshot are accepted only from a
 *       sender that is a configured Raft member (its JGroups address carries a configured raft id),
 *       whose message names itself as the leader, and, for the current term, that is the leader
 *       this node already follows (or the first one heard in a term whose leader is not known yet,
 *       as Raft does). A higher term from a configured member starts a new term as Raft says: term
 *       inflation by a compromised member is a <em>liveness</em> problem (it can disturb elections
 *       and commit nothing useful), not a safety one, because every row change is a command signed
 *       by the row's owner and verified in {@code apply}, every counter is monotone there, and a
 *       snapshot that would lower anything is refused ({@link
 *       FleetFollower#handleInstallSnapshotRequest}). Refusals are logged and counted ({@link
 *       #refusedLeaderMessages()}).
 * </ol>
 *
 * Elections, snapshots, the request table and the log interface are RAFT's own code. Learners
 * (members outside the Raft member list, which Fleetvault never configures) keep 1.1.4's own
 * follower.
 */
public class FleetRaft extends RAFT {
  /** Protocol id (unique in this stack; jgroups-raft's own RAFT id is different). */
  public static final short FLEET_RAFT_ID = 5251;

  /** Most entries sent to one follower in one re-send message. */
  static final int MAX_RESEND_ENTRIES = 1024;

  static {
    if (ClassConfigurator.getProtocolId(FleetRaft.class) == 0)
      ClassConfigurator.addProtocol(FLEET_RAFT_ID, FleetRaft.class);
  }

  @org.jgroups.annotations.Property(
      description =
          "Send a commit message to followers as soon as the leader's commit index advances")
  protected boolean fleet_send_commits_immediately = true;

  private long lastFlushNanos = System.nanoTime();

  /** Sender of the leader message being handled (RAFT's single processing thread only). */
  private Address sender;

  private final java.util.concurrent.atomic.AtomicLong refused =
      new java.util.concurrent.atomic.AtomicLong();

  public FleetRaft() {
    impl = new FleetFollower(this);
  }

  @Override
  protected void processQueue() {
    try {
      Request first = processing_queue.poll(resend_interval, TimeUnit.MILLISECONDS);
      if (first == null) {
        flush();
        return;
      }
      for (; ; ) {
        remove_queue.clear();
        if (first != null) {
          remove_queue.add(first);
          first = null;
        }
        processing_queue.drainTo(remove_queue);
        if (remove_queue.isEmpty()) return;
        process(remove_queue);
        if (System.nanoTime() - lastFlushNanos >= TimeUnit.MILLISECONDS.toNanos(resend_interval))
          flush();
      }
    } catch (InterruptedException ignored) {
      Thread.currentThread().interrupt();
    }
  }

  private void flush() {
    lastFlushNanos = System.nanoTime();
    if (commit_table != null && isLeader()) commit_table.forEach(this::sendAppendEntriesMessage);
  }

  /**
   * RAFT's re-send, with the range sent to a lagging follower capped at {@link
   * #MAX_RESEND_ENTRIES}.
   */
  @Override
  protected void sendAppendEntriesMessage(Address member, CommitTable.Entry e) {
    long next = e.nextIndex();
    if (next >= log().firstAppended() && last_appended >= next) {
      long from = Math.max(next, 1);
      resend(member, from, Math.min(last_appended, from + MAX_RESEND_ENTRIES - 1));
      return;
    }
    super.sendAppendEntriesMessage(member, e);
  }

  private static final java.lang.reflect.Field LAST_INCLUDED_INDEX;

  static {
    try {
      LAST_INCLUDED_INDEX =
          org.jgroups.protocols.raft.InstallSnapshotRequest.class.getDeclaredField(
              "last_included_index");
      LAST_INCLUDED_INDEX.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The snapshot's last index (jgroups-raft 1.1.4 exposes it only to its own package). */
  private static long lastIncludedIndex(org.jgroups.protocols.raft.InstallSnapshotRequest req) {
    try {
      return LAST_INCLUDED_INDEX.getLong(req);
    } catch (IllegalAccessException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public void handleUpRequest(Message msg, org.jgroups.protocols.raft.RaftHeader hdr) {
    if (hdr instanceof AppendEntriesRequest
        || hdr instanceof org.jgroups.protocols.raft.InstallSnapshotRequest) {
      String refusal = leaderRefusal(msg.src(), hdr.currTerm());
      if (refusal != null) {
        if (refused.incrementAndGet() % 100 == 1)
          log.warn(
              "%s: refused %s from %s: %s",
              local_addr, hdr.getClass().getSimpleName(), msg.src(), refusal);
        return;
      }
      // a snapshot is checked before RAFT sees its term: a refused snapshot must not even bump the
      // term
      // ... whatever this node's role: a leader (or candidate) that took a forged higher-term
      // snapshot's term
      // would step down and split the fleet's terms (no election followed in the harness for
      // minutes)
      FleetFollower checker = impl instanceof FleetFollower f ? f : new FleetFollower(this);
      if (hdr instanceof org.jgroups.protocols.raft.InstallSnapshotRequest req
          && !(impl instanceof FleetFollower f && f.holdsUpTo(lastIncludedIndex(req)))) {
        String bad = checker.snapshotRefusal(msg);
        if (bad != null) {
          refused.incrementAndGet();
          log.warn(
              "%s: REFUSED the snapshot from %s: %s; keeping the current state and term",
              local_addr, msg.src(), bad);
          return;
        }
      }
      sender = msg.src();
      try {
        super.handleUpRequest(msg, hdr);
      } finally {
        sender = null;
      }
      return;
    }
    super.handleUpRequest(msg, hdr);
  }

  /** Why a leader message from {@code src} in {@code term} must be refused, or null. */
  String leaderRefusal(Address src, long term) {
    if (src == null) return "no sender";
    String rid = Utils.extractRaftId(src);
    if (rid == null || !Utils.isRaftMember(rid, members()) || rid.equals(raftId()))
      return "sender is not a configured member";
    if (term == currentTerm()) {
      Address following = leader();
      if (following != null && !following.equals(src))
        return "sender is not the leader of the current term";
    }
    return null; // a lower term is ignored by RAFT itself; a higher one starts a new term
  }

  /**
   * The sender of the AppendEntries/InstallSnapshot being handled, or null outside that (tests call
   * handlers directly).
   */
  Address sender() {
    return sender;
  }

  /**
   * Leader messages refused since start (unauthenticated sender, or not the current term's leader).
   */
  public long refusedLeaderMessages() {
    return refused.get();
  }

  /**
   * Tells the ledger state machine the log index of the entry it is about to apply (for commit
   * witnesses).
   */
  @Override
  protected void applyCommit(long index, boolean serializeResponse) throws Exception {
    if (state_machine instanceof LedgerStateMachine sm) sm.applying(index);
    super.applyCommit(index, serializeResponse);
    if (state_machine instanceof LedgerStateMachine sm) sm.applied(index);
  }

  @Override
  protected RAFT changeRole(Role role) {
    RaftImpl old = impl;
    RaftImpl next;
    if (role == Role.Leader) next = old instanceof FleetLeader ? null : new FleetLeader(this);
    else if (role == Role.Follower)
      next = old instanceof FleetFollower ? null : new FleetFollower(this);
    else return super.changeRole(role);
    if (next == null) return this;
    if (old != null) old.destroy();
    next.init();
    impl = next;
    notifyRoleChangeListeners(role);
    return this;
  }

  /**
   * Sends an empty AppendEntries carrying a commit index to every follower whose commit index is
   * behind, capped at that follower's match index (the message carries no previous-entry check).
   */
  void sendCommitsToFollowers() {
    CommitTable table = commit_table;
    if (table == null) return;
    long commit = commit_index, term = currentTerm();
    Address self = local_addr;
    table.forEach(
        (member, e) -> {
          long safeCommit = Math.min(commit, e.matchIndex());
          if (safeCommit > e.commitIndex()) {
            Message msg =
                new ObjectMessage(member, null)
                    .putHeader(id, new AppendEntriesRequest(self, term, 0, 0, term, safeCommit));
            down_prot.down(msg);
          }
        });
  }

  // --- bridges to RAFT's protected members for FleetFollower and FleetLeader (same package, not
  // subclasses)

  boolean sendsCommitsImmediately() {
    return fleet_send_commits_immediately;
  }

  boolean appendAt(long index, LogEntries entries) {
    return append(index, entries);
  }

  void deleteFrom(long index) {
    deleteAllLogEntriesStartingFrom(index);
  }

  void commitTo(long indexInclusive, boolean serializeResponse) {
    commitLogTo(indexInclusive, serializeResponse);
  }

  RequestTable<String> requestTable() {
    return request_table;
  }

  void commitReadOnlyRequests() {
    if (readOnlyRequests != null) readOnlyRequests.commit(commit_index);
  }

  org.jgroups.logging.Log logger() {
    return log;
  }
}
