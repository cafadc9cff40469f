package dev.fleetvault.protocol.wire;

import java.util.Objects;

/**
 * Thrown when bytes or a parsed message do not conform to the fleetvault.v1 wire format: too large,
 * truncated or malformed protobuf, unknown fields, an unknown version or suite, or a field of the
 * wrong length or range.
 *
 * <h2>Guarantees</h2>
 *
 * Unchecked and thrown before anything is acted on: a caller that does not catch it fails closed.
 * Edges map it to gRPC {@code INVALID_ARGUMENT} in one place. The message names the message type,
 * the field and the rule, never field content.
 */
public final class WireFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why the input was refused. */
  public enum Reason {
    /** More bytes than the type's limit in {@link WireLimits}. */
    TOO_LARGE,
    /** Not a valid protobuf encoding (truncated, bad tag, bad length, invalid UTF-8, ...). */
    MALFORMED,
    /** Fields this version does not define. */
    UNKNOWN_FIELD,
    /** {@code version} is not {@link WireVersion#VERSION_1}. */
    UNKNOWN_VERSION,
    /** {@code suite} is not {@link WireVersion#SUITE_P256_SHA256}. */
    UNKNOWN_SUITE,
    /** A field is missing, of the wrong length, out of range or duplicated. */
    INVALID_FIELD
  }

  private final Reason reason;

  public WireFormatException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public WireFormatException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The rule that was broken. */
  public Reason reason() {
    return reason;
  }
}
