package dev.fleetvault.client;

import java.util.Optional;
import java.util.Set;

/**
 * What one edge reports about the fleet (unauthenticated facts: use them for monitoring, not for
 * trust).
 *
 * @param edge the edge that answered
 * @param fleetId the fleet's id
 * @param members n
 * @param threshold t
 * @param reachable the member indexes (1..n) the edge currently reaches
 * @param majorityReachable whether the edge can reach a majority (it refuses work otherwise)
 * @param leader the Raft leader, when the node reports it
 */
public record FleetStatus(
    Edge edge,
    String fleetId,
    int members,
    int threshold,
    Set<Integer> reachable,
    boolean majorityReachable,
    Optional<String> leader) {
  /** Copies the set. */
  public FleetStatus {
    reachable = Set.copyOf(reachable);
  }
}
