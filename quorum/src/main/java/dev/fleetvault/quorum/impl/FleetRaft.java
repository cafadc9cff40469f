package dev.fleetvault.quorum.impl;

import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.ObjectMessage;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.raft.AppendEntriesRequest;
import org.jgroups.protocols.raft.AppendResult;
import org.jgroups.protocols.raft.Leader;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.RaftImpl;
import org.jgroups.protocols.raft.Role;

import java.util.concurrent.TimeUnit;

/**
 * jgroups-raft 1.1.4's {@link RAFT} with two fixes, both about getting commits and missing entries
 * to followers. Configure it with RAFT's own {@code send_commits_immediately="false"} and this
 * protocol's {@code fleet_send_commits_immediately="true"}.
 *
 * <ol>
 *   <li><b>Re-send under load.</b> In 1.1.4 the runner re-sends missing entries to lagging followers
 *       (commit-table flush) only after its queue stayed empty for a whole {@code resend_interval}.
 *       Under steady load that never happens, so a follower that restarted behind the leader never
 *       catches up. Here the flush also runs every {@code resend_interval} while busy.</li>
 *   <li><b>Commit messages without a storm.</b> RAFT's {@code send_commits_immediately} answers every
 *       append response with an empty commit message to every follower whose commit index is behind;
 *       a follower that lacks entries answers "OK, index k" again, and the two ping-pong at network
 *       speed. Observed here: 580k commit messages in 5 s for one restarted follower, and 2 million
 *       queued messages (5 GB heap) under load. Here a leader sends one commit message per follower
 *       only when its own commit index advanced, so followers still apply at once.</li>
 * </ol>
 * Everything else is RAFT's own code path.
 */
public class FleetRaft extends RAFT {
    /** Protocol id (unique in this stack; jgroups-raft's own RAFT id is different). */
    public static final short FLEET_RAFT_ID = 5251;

    static {
        if (ClassConfigurator.getProtocolId(FleetRaft.class) == 0) ClassConfigurator.addProtocol(FLEET_RAFT_ID, FleetRaft.class);
    }

    @org.jgroups.annotations.Property(description = "Send a commit message to followers as soon as the leader's commit index advances")
    protected boolean fleet_send_commits_immediately = true;

    private long lastFlushNanos = System.nanoTime();

    @Override
    protected void processQueue() {
        try {
            Request first = processing_queue.poll(resend_interval, TimeUnit.MILLISECONDS);
            if (first == null) {
                flush();
                return;
            }
            for (;;) {
                remove_queue.clear();
                if (first != null) {
                    remove_queue.add(first);
                    first = null;
                }
                processing_queue.drainTo(remove_queue);
                if (remove_queue.isEmpty()) return;
                process(remove_queue);
                if (System.nanoTime() - lastFlushNanos >= TimeUnit.MILLISECONDS.toNanos(resend_interval)) flush();
            }
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }

    private void flush() {
        lastFlushNanos = System.nanoTime();
        if (commit_table != null && isLeader()) commit_table.forEach(this::sendAppendEntriesMessage);
    }

    @Override
    protected RAFT changeRole(Role role) {
        if (role != Role.Leader) return super.changeRole(role);
        RaftImpl old = impl;
        if (old instanceof FleetLeader) return this;
        RaftImpl leader = new FleetLeader(this);
        if (old != null) old.destroy();
        leader.init();
        impl = leader;
        notifyRoleChangeListeners(role);
        return this;
    }

    /**
     * Sends an empty AppendEntries carrying a commit index to every follower whose commit index is behind.
     *
     * <p>The commit index sent to a follower is capped at that follower's <em>match index</em>: the
     * highest index the leader knows the follower holds identically. The message carries no
     * previous-entry check, and the follower commits up to {@code min(commit, its last index)}; without
     * the cap, a follower that restarted with a stale suffix from an old leader's term (entries that were
     * never committed and that the new leader overwrote) would commit that suffix, apply it, and then be
     * unable to truncate it (jgroups-raft logs "cannot delete entries ... as commit_index is higher" and
     * the follower never converges). With the cap, a follower only commits entries the leader has
     * verified; the regular AppendEntries path (with its previous-entry check) repairs the rest.
     */
    void sendCommitsToFollowers() {
        if (commit_table == null) return;
        long commit = commit_index, term = currentTerm();
        Address self = local_addr;
        commit_table.forEach((member, e) -> {
            long safeCommit = Math.min(commit, e.matchIndex());
            if (safeCommit > e.commitIndex()) {
                Message msg = new ObjectMessage(member, null).putHeader(id, new AppendEntriesRequest(self, term, 0, 0, term, safeCommit));
                down_prot.down(msg);
            }
        });
    }

    /** RAFT's leader, plus a commit message to followers when the commit index advanced. */
    static final class FleetLeader extends Leader {
        private final FleetRaft fleetRaft;

        FleetLeader(FleetRaft raft) {
            super(raft);
            this.fleetRaft = raft;
        }

        @Override
        public void handleAppendEntriesResponse(Address sender, long term, AppendResult result) {
            long before = fleetRaft.commitIndex();
            super.handleAppendEntriesResponse(sender, term, result);
            if (fleetRaft.fleet_send_commits_immediately && fleetRaft.commitIndex() > before) fleetRaft.sendCommitsToFollowers();
        }
    }
}
