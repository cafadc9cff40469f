package dev.fleetvault.quorum;

/** Why the ledger refused a command. Every reason means the ledger state did not change. */
public enum RejectReason {
  /** The command bytes do not parse (wrong magic, lengths, trailing bytes, unknown type). */
  MALFORMED,
  /** The command names a member id that is not in the fleet configuration. */
  UNKNOWN_MEMBER,
  /** The command names a fleet epoch whose member keys this ledger does not know. */
  UNKNOWN_EPOCH,
  /** The signature does not verify under the named member's key for that epoch. */
  BAD_SIGNATURE,
  /** The per-row sequence number is not exactly the row's current sequence + 1 (replay or race). */
  STALE_SEQUENCE,
  /** A registration whose version is not newer than the row's current version. */
  VERSION_NOT_NEWER,
  /** The command needs a registered row (e.g. succeed) and the row is not registered. */
  NOT_REGISTERED,
  /**
   * A succeed for an attempt id that is not counted in the registration's current generation (a
   * replay, a stale generation, or an id never counted). Replaces the former {@code
   * NOT_LATEST_ATTEMPT}.
   */
  NOT_COUNTED,
  /** An attempt or succeed whose record version or record digest is not the row's. */
  VERSION_MISMATCH,
  /** An attempt or succeed whose generation is not the registration's current generation. */
  STALE_GENERATION,
  /** A registration whose version is above {@link LedgerCommand#MAX_RECORD_VERSION} (2^53 − 1). */
  VERSION_TOO_LARGE,
  /** Refused before sending: too many requests in flight on this node. */
  OVERLOADED,
  /**
   * Refused before sending: the caller asked for something this client may not do (e.g. another
   * member's row).
   */
  NOT_PERMITTED,
  /** The command's signer failed (e.g. the HSM refused); nothing was sent. */
  SIGNER_FAILED,
  /** The node is closed. */
  CLOSED
}
