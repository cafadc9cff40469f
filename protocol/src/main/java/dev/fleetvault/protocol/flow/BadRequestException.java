package dev.fleetvault.protocol.flow;

/**
 * Member side: a request that must be refused and changes nothing — the envelope does not open
 * (wrong member, phase, user, replayed into another context, tampered), or its content is invalid
 * (point not on the curve, the identity, scalar out of range, wrong length, inconsistent
 * commitments). The gateway maps it to gRPC INVALID_ARGUMENT and commits nothing to the ledger.
 */
public final class BadRequestException extends FlowException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    super(message);
  }

  public BadRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
