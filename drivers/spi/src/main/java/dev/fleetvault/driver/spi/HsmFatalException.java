package dev.fleetvault.driver.spi;

/**
 * A failure that repeating the same call cannot fix: bad configuration, wrong PIN, missing key,
 * tampered ciphertext, invalid input, missing capability, closed driver, device error.
 */
public non-sealed class HsmFatalException extends HsmException {

  private static final long serialVersionUID = 1L;

  /** A fatal failure without a vendor code. */
  public HsmFatalException(Kind kind, String message) {
    super(kind, message, null, null, null);
  }

  /** A fatal failure caused by {@code cause}, without a vendor code. */
  public HsmFatalException(Kind kind, String message, Throwable cause) {
    super(kind, message, null, null, cause);
  }

  /** A fatal failure that keeps the vendor's code and name (either may be null). */
  public HsmFatalException(
      Kind kind, String message, Long vendorCode, String vendorName, Throwable cause) {
    super(kind, message, vendorCode, vendorName, cause);
  }

  @Override
  public final boolean isRetryable() {
    return false;
  }
}
