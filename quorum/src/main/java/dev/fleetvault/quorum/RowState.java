package dev.fleetvault.quorum;

/** Life cycle of one member's row for one user. */
public enum RowState {
  /** Never registered (no row). */
  NOT_REGISTERED,
  /** Registered; attempts are counted against the guess limit. */
  REGISTERED,
  /**
   * The guess limit was reached; the member's sealed record was destroyed. Only a new registration
   * revives the row.
   */
  NO_GUESSES,
  /** Deleted by its member; only a new registration revives the row. */
  DELETED
}
