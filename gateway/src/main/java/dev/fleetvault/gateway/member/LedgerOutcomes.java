package dev.fleetvault.gateway.member;

import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.protocol.flow.LedgerRow;
import dev.fleetvault.quorum.LedgerResult;
import dev.fleetvault.quorum.RejectReason;
import dev.fleetvault.quorum.RowView;

/**
 * Maps quorum ledger results and rows to what the member role acts on.
 *
 * <p>Guarantees: a non-committed result always becomes an error naming no secret; only {@link
 * LedgerResult.Committed} yields a value.
 */
final class LedgerOutcomes {
  private LedgerOutcomes() {}

  /** The committed value, or the failure as a stable code (nothing was committed). */
  static <T> T committed(LedgerResult<T> r, String what) {
    if (r instanceof LedgerResult.Committed<T> c) {
      return c.outcome();
    }
    throw failure(r, what);
  }

  /** A non-committed result as an error. */
  static FleetvaultException failure(LedgerResult<?> r, String what) {
    if (r instanceof LedgerResult.NoMajority<?>) {
      return new FleetvaultException(
          ErrorCode.NO_MAJORITY, "no majority for " + what + "; nothing was spent, retry later");
    }
    if (r instanceof LedgerResult.Timeout<?>) {
      return new FleetvaultException(ErrorCode.TIMEOUT, what + " timed out; safe to retry");
    }
    if (r instanceof LedgerResult.Rejected<?> rej) {
      RejectReason reason = rej.reason();
      switch (reason) {
        case OVERLOADED:
          return new FleetvaultException(
              ErrorCode.HSM_BUSY, "the ledger is overloaded; retry later");
        case NOT_COUNTED:
        case STALE_GENERATION:
          return new FleetvaultException(
              ErrorCode.REPLAYED,
              "not an attempt counted in the current generation (replayed or stale); nothing released");
        case VERSION_MISMATCH:
          return new FleetvaultException(
              ErrorCode.FAILED_PRECONDITION, what + " refused: the record changed; start again");
        case VERSION_TOO_LARGE:
          return new FleetvaultException(
              ErrorCode.BAD_REQUEST, what + " refused: record version too large");
        case NOT_REGISTERED:
        case VERSION_NOT_NEWER:
          return new FleetvaultException(
              ErrorCode.FAILED_PRECONDITION, what + " refused: " + reason.name().toLowerCase());
        case CLOSED:
          return new FleetvaultException(ErrorCode.NOT_READY, "node is shutting down");
        default:
          return new FleetvaultException(ErrorCode.INTERNAL, what + " refused by the ledger");
      }
    }
    return new FleetvaultException(ErrorCode.INTERNAL, what + " failed");
  }

  /** The member core's view of a row this node's own replica answered. */
  static LedgerRow row(RowView v) {
    byte[] none = new byte[0];
    switch (v.state()) {
      case REGISTERED:
        return new LedgerRow(
            LedgerRow.State.REGISTERED,
            v.version(),
            v.recordDigest(),
            v.generation(),
            v.guessesRemaining());
      case NO_GUESSES:
        return new LedgerRow(LedgerRow.State.NO_GUESSES, v.version(), none, 0, 0);
      case DELETED:
        return new LedgerRow(LedgerRow.State.DELETED, v.version(), none, 0, 0);
      default:
        return new LedgerRow(LedgerRow.State.ABSENT, v.version(), none, 0, 0);
    }
  }
}
