package dev.fleetvault.client;

/**
 * A failure that is not an outcome of the vault protocol: the token was refused, the request was
 * rejected as malformed, the fleet is rate-limiting, or an answer failed verification. Outcomes
 * (wrong PIN, no guesses, not registered, unavailable) are results, never exceptions.
 *
 * <p>The message names what failed and never contains a PIN, a secret or anything derived from
 * them.
 */
public final class FleetvaultException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Stable classes of failure. */
  public enum Code {
    /** The token is missing, expired, or not signed by a configured app key. */
    UNAUTHENTICATED,
    /** The fleet rejected the request as malformed or out of range. */
    INVALID_ARGUMENT,
    /** The fleet is rate-limiting this user or address, or its queues are full; try later. */
    RESOURCE_EXHAUSTED,
    /**
     * No edge answered at all (status only; register/recover/delete report this as an {@code
     * Unavailable} result).
     */
    UNAVAILABLE,
    /**
     * An answer from the fleet failed verification (bad proof, bad bundle, inconsistent members).
     */
    VERIFICATION_FAILED,
    /** Anything else the fleet reported. */
    INTERNAL
  }

  private final Code code;

  /**
   * @param code the class of failure
   * @param message what failed
   */
  public FleetvaultException(Code code, String message) {
    super(message);
    this.code = code;
  }

  /**
   * @param code the class of failure
   * @param message what failed
   * @param cause the underlying failure
   */
  public FleetvaultException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The class of failure. */
  public Code code() {
    return code;
  }
}
