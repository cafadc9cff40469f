package dev.fleetvault.quorum.impl;

import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.raft.RAFT;

import java.util.concurrent.TimeUnit;

/**
 * jgroups-raft 1.1.4's {@link RAFT} with one fix: a leader re-sends missing entries to lagging
 * followers every {@code resend_interval} ms even while busy.
 *
 * <p>Why: in 1.1.4 the runner flushes the commit table (which is how a follower that restarted
 * behind the leader gets the entries it lacks) only when its queue stayed empty for a whole
 * {@code resend_interval}. Under steady load that never happens, and with
 * {@code send_commits_immediately} a lagging follower and the leader enter an endless ping-pong of
 * empty commit messages (the follower answers "OK, index k", the leader answers with its commit index
 * again), so the queue is never idle and the follower never catches up. Observed here: a restarted
 * follower stuck at index 4 while the leader was at 9, 580k commit messages in 5 s.
 * Everything else is RAFT's own code path ({@code process}, commit table, resend).
 */
public class FleetRaft extends RAFT {
    /** Protocol id (unique in this stack; jgroups-raft's own RAFT id is different). */
    public static final short FLEET_RAFT_ID = 5251;

    static {
        if (ClassConfigurator.getProtocolId(FleetRaft.class) == 0) ClassConfigurator.addProtocol(FLEET_RAFT_ID, FleetRaft.class);
    }

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
}
