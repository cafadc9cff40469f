package dev.fleetvault.gateway.fleet;

/**
 * A production node refuses to start on this fleet bundle; the message names what failed (the
 * verification step, the member, the key).
 */
public final class FleetBundleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed
   */
  public FleetBundleException(String message) {
    super(message);
  }

  /**
   * @param message what failed @param cause the underlying error
   */
  public FleetBundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
