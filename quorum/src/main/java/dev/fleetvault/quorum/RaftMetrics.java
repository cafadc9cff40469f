package dev.fleetvault.quorum;

/**
 * Raft counters of this node for monitoring (no log content, nothing secret).
 *
 * @param term current Raft term
 * @param commitIndex highest log index known committed
 * @param lastApplied highest log index applied to this node's state machine
 * @param logSize entries in this node's log (since the last snapshot)
 */
public record RaftMetrics(long term, long commitIndex, long lastApplied, long logSize) {

  /** Committed entries not yet applied here (never negative). */
  public long applyLag() {
    return Math.max(0, commitIndex - lastApplied);
  }
}
