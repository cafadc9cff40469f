package dev.fleetvault.protocol.flow;

import java.util.Objects;

/**
 * What the ledger says about (user, this member), as the gateway read it linearizably
 * ({@code readRow}) just before calling {@link MemberLogic}. The member logic trusts it as
 * the committed truth.
 *
 * @param state the row's state
 * @param version the latest record version this member committed for the user (kept after
 *     deletion and destruction; 0 if never registered)
 * @param guessesRemaining guess limit minus counted attempts since the last success
 *     (meaningful in {@link State#REGISTERED})
 */
public record LedgerRow(State state, long version, int guessesRemaining) {
  /** Row states. */
  public enum State {
    /** Never registered at this member. */
    ABSENT,
    /** A record is registered at {@code version}. */
    REGISTERED,
    /** Deleted by the user (app token). */
    DELETED,
    /** Destroyed because the guess limit was reached. */
    NO_GUESSES
  }

  public LedgerRow {
    Objects.requireNonNull(state, "state");
    if (version < 0 || guessesRemaining < 0) {
      throw new IllegalArgumentException("version and guessesRemaining must be >= 0");
    }
  }

  /** The row of a user this member never saw. */
  public static LedgerRow absent() {
    return new LedgerRow(State.ABSENT, 0, 0);
  }
}
