package dev.fleetvault.signer;

/**
 * A request the signer refuses, with the reason (mapped to one HTTP status in {@code
 * SignerServer}).
 */
public final class SignerException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a request was refused. */
  public enum Reason {
    /** Malformed request (400). */
    BAD_REQUEST(400),
    /** Missing or invalid operator signature (401). */
    UNAUTHENTICATED(401),
    /** No such entry, epoch, tile or namespace resource (404). */
    NOT_FOUND(404),
    /** The namespace is not configured (404). */
    UNKNOWN_NAMESPACE(404),
    /** The epoch is not greater than the namespace's last epoch (409). */
    EPOCH_NOT_INCREASING(409),
    /** The digest was already published (409). */
    DIGEST_REUSED(409),
    /** Already attached / conflicting state (409). */
    CONFLICT(409),
    /** The signer failed a durable write or HSM call and stopped accepting writes (503). */
    UNAVAILABLE(503);

    private final int status;

    Reason(int status) {
      this.status = status;
    }

    /** The HTTP status. */
    public int status() {
      return status;
    }
  }

  private final Reason reason;

  /**
   * @param reason why
   * @param message detail (public values only)
   */
  public SignerException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Why. */
  public Reason reason() {
    return reason;
  }
}
