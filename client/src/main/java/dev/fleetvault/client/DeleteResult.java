package dev.fleetvault.client;

import java.util.Set;

/** The outcome of a deletion. */
public sealed interface DeleteResult {
  /**
   * At least a majority of members committed the deletion (deleting a user with no record also ends
   * here).
   *
   * @param members the member indexes that confirmed in authenticated answers
   */
  record Deleted(Set<Integer> members) implements DeleteResult {
    /** Copies the set. */
    public Deleted {
      members = Set.copyOf(members);
    }
  }

  /**
   * Fewer than a majority confirmed. Deleting again is safe.
   *
   * @param reason what failed
   */
  record Unavailable(String reason) implements DeleteResult {}
}
