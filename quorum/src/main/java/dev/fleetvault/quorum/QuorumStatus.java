package dev.fleetvault.quorum;

import java.util.Optional;

/**
 * A snapshot of this node's view of the quorum, for {@code /readyz} and status pages.
 *
 * @param memberId this node's member id
 * @param role Raft role: {@code Leader}, {@code Follower}, {@code Learner} or {@code Candidate}
 * @param leader member id of the current Raft leader, if known
 * @param term current Raft term
 * @param commitIndex highest committed log index known here
 * @param majorityReachable whether both the ledger and the record store see a majority
 * @param serving whether a leader has committed an entry of its own term (ledger requests can
 *     commit)
 */
public record QuorumStatus(
    int memberId,
    String role,
    Optional<Integer> leader,
    long term,
    long commitIndex,
    boolean majorityReachable,
    boolean serving) {}
