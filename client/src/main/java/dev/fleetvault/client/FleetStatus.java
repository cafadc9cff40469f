package dev.fleetvault.client;

import java.util.List;
import java.util.Optional;

/**
 * What one edge reports about the fleet.
 *
 * @param edge              the edge that answered
 * @param members           every member the edge knows of, in fleet order
 * @param leader            the current Raft leader's member id, if one is known
 * @param majorityReachable whether the edge can reach a majority (it refuses work otherwise)
 */
public record FleetStatus(Edge edge, List<Member> members, Optional<String> leader, boolean majorityReachable) {
    /** Copies the list. */
    public FleetStatus {
        members = List.copyOf(members);
    }

    /**
     * One member as seen by the edge.
     *
     * @param id        member id (e.g. {@code dc1})
     * @param reachable whether the edge currently reaches it
     */
    public record Member(String id, boolean reachable) {
    }
}
