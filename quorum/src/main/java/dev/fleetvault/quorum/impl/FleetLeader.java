package dev.fleetvault.quorum.impl;

import org.jgroups.Address;
import org.jgroups.protocols.raft.AppendResult;
import org.jgroups.protocols.raft.Leader;
import org.jgroups.raft.util.CommitTable;
import org.jgroups.raft.util.RequestTable;
import org.jgroups.raft.util.Utils;

/**
 * RAFT's leader with a commit table that only holds what followers verified.
 *
 * <p>Guarantees: a follower's answer carries the highest index it verified against this leader (see
 * {@link FleetFollower}); its match index becomes that index (answers arrive in the order the
 * follower gave them, and a follower never cuts verified entries, so it only falls if the follower
 * lost its log); its next index resumes right after it, in whole batches, whether the append
 * succeeded or failed; only a successful answer counts towards a majority. When the commit index
 * advances, each follower whose commit index is behind gets one commit message, capped at its match
 * index.
 */
final class FleetLeader extends Leader {
  private final FleetRaft fleetRaft;

  FleetLeader(FleetRaft raft) {
    super(raft);
    this.fleetRaft = raft;
  }

  @Override
  public void handleAppendEntriesResponse(Address sender, long term, AppendResult result) {
    CommitTable table = fleetRaft.commitTable();
    RequestTable<String> requests = fleetRaft.requestTable();
    if (table == null || requests == null) return; // stepped down meanwhile
    CommitTable.Entry entry = table.get(sender);
    if (entry == null) return;
    long before = fleetRaft.commitIndex();
    long match = result.index(); // the follower's verified index, in the order it answered
    long followerCommit = Math.min(match, Math.max(entry.commitIndex(), result.commitIndex()));
    entry
        .matchIndex(match)
        .nextIndex(match + 1)
        .commitIndex(followerCommit)
        .sendSingleMessage(false);
    if (result.success()) {
      String raftId = Utils.extractRaftId(sender);
      if (Utils.isRaftMember(raftId, fleetRaft.members())) { // learners do not count
        fleetRaft.commitReadOnlyRequests();
        if (requests.add(result.index(), raftId, majority))
          fleetRaft.commitTo(result.index(), true);
      }
    }
    if (fleetRaft.sendsCommitsImmediately() && fleetRaft.commitIndex() > before)
      fleetRaft.sendCommitsToFollowers();
  }
}
