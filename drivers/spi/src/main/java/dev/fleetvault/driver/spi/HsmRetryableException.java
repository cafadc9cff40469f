package dev.fleetvault.driver.spi;

/**
 * A failure after which the same call may succeed if repeated later: the session pool was exhausted
 * for the borrow timeout ({@link HsmException.Kind#BUSY}), or the device timed out or was briefly
 * unreachable ({@link HsmException.Kind#UNAVAILABLE}). Callers should back off.
 */
public non-sealed class HsmRetryableException extends HsmException {

  private static final long serialVersionUID = 1L;

  /** A retryable failure without a vendor code. */
  public HsmRetryableException(Kind kind, String message) {
    super(kind, message, null, null, null);
  }

  /** A retryable failure caused by {@code cause}, without a vendor code. */
  public HsmRetryableException(Kind kind, String message, Throwable cause) {
    super(kind, message, null, null, cause);
  }

  /** A retryable failure that keeps the vendor's code and name (either may be null). */
  public HsmRetryableException(
      Kind kind, String message, Long vendorCode, String vendorName, Throwable cause) {
    super(kind, message, vendorCode, vendorName, cause);
  }

  @Override
  public final boolean isRetryable() {
    return true;
  }
}
