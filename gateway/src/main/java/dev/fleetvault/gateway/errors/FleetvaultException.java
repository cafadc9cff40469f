package dev.fleetvault.gateway.errors;

/**
 * An outcome to report to the caller with a stable {@link ErrorCode}. The message is shown to the
 * caller as is: it says what happened and never contains secret or caller-supplied bytes.
 */
public final class FleetvaultException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  /**
   * @param code the stable code; @param safeMessage text safe to send to the caller
   */
  public FleetvaultException(ErrorCode code, String safeMessage) {
    super(safeMessage, null, false, false);
    this.code = code;
  }

  /** The stable code. */
  public ErrorCode code() {
    return code;
  }
}
