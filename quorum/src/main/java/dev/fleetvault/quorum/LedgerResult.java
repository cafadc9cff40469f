package dev.fleetvault.quorum;

import java.util.Objects;

/**
 * The outcome of one ledger request. Exactly one of four cases:
 *
 * <ul>
 *   <li>{@link Committed}: the command was committed by a majority and applied; {@code value} is
 *       what the deterministic state machine returned. Only this case may be acted upon.
 *   <li>{@link NoMajority}: not committed within the deadline and this node could not reach a
 *       majority of the fleet at the deadline. If the command had already been handed to a leader
 *       it may still commit later; retrying the same command (same request id) is safe and tells.
 *   <li>{@link Timeout}: a majority looked reachable but no commit was confirmed within the
 *       deadline. The outcome is unknown; retrying the same command (same request id) is safe and
 *       tells.
 *   <li>{@link Rejected}: the request was refused without any effect on the ledger state (bad
 *       signature, stale sequence number, wrong member, malformed, overloaded, ...).
 * </ul>
 *
 * @param <T> the committed value type
 */
public sealed interface LedgerResult<T>
    permits LedgerResult.Committed,
        LedgerResult.NoMajority,
        LedgerResult.Timeout,
        LedgerResult.Rejected {

  /** True only for {@link Committed}. */
  default boolean isCommitted() {
    return this instanceof Committed;
  }

  /** The committed value; throws {@link IllegalStateException} naming the case otherwise. */
  default T value() {
    if (this instanceof Committed<T> c) return c.outcome();
    throw new IllegalStateException("ledger request not committed: " + this);
  }

  /** Committed by a majority and applied. */
  record Committed<T>(T outcome) implements LedgerResult<T> {
    public Committed {
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /** No majority reachable from this node at the deadline; nothing is known to be committed. */
  record NoMajority<T>() implements LedgerResult<T> {}

  /** No answer within the deadline although a majority looked reachable; outcome unknown. */
  record Timeout<T>() implements LedgerResult<T> {}

  /** Refused with no effect on the ledger state. */
  record Rejected<T>(RejectReason reason, String detail) implements LedgerResult<T> {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Re-types a non-committed result (they carry no value). */
  @SuppressWarnings("unchecked")
  default <U> LedgerResult<U> castFailure() {
    if (this instanceof Committed)
      throw new IllegalStateException("committed results carry a value");
    return (LedgerResult<U>) this;
  }
}
