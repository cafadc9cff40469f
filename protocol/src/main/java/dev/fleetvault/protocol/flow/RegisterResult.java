package dev.fleetvault.protocol.flow;

import java.util.Set;

/**
 * The outcome of a registration.
 *
 * <h2>Guarantees</h2>
 *
 * {@link Registered} is only returned when at least t members confirmed, in authenticated answers,
 * that they committed the record at {@code version}.
 */
public sealed interface RegisterResult
    permits RegisterResult.Registered, RegisterResult.VersionConflict {

  /** Stored at {@code version} by {@code members} (at least t; all n unless some were down). */
  record Registered(long version, Set<Integer> members) implements RegisterResult {
    public Registered {
      members = Set.copyOf(members);
    }

    /** True if every member of the realm stored it. */
    public boolean isComplete(int n) {
      return members.size() == n;
    }
  }

  /**
   * Too few members accepted the version (another registration raced this one); start a new {@link
   * Registration} to try again. {@code currentVersion} is the highest version reported.
   */
  record VersionConflict(long currentVersion) implements RegisterResult {}
}
