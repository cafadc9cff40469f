package dev.fleetvault.protocol.flow;

import java.util.Set;

/**
 * The outcome of a deletion.
 *
 * <h2>Guarantees</h2>
 *
 * {@code confirmed} holds only members whose authenticated answer said the record is gone; {@code
 * unconfirmed} holds the rest of the realm (unreachable or bad answers) — retry them.
 */
public record DeleteResult(Set<Integer> confirmed, Set<Integer> unconfirmed) {
  public DeleteResult {
    confirmed = Set.copyOf(confirmed);
    unconfirmed = Set.copyOf(unconfirmed);
  }

  /** True if every member confirmed. */
  public boolean isComplete() {
    return unconfirmed.isEmpty();
  }
}
