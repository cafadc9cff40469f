package dev.fleetvault.driver.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one checked exception family of the driver SPI.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Exactly two direct subtypes: {@link HsmRetryableException} (the same call may succeed
 *       later: session pool exhausted, device busy or timed out) and {@link HsmFatalException}
 *       (retrying the same call cannot help: missing key, bad PIN, tampered ciphertext, bad
 *       configuration). {@link #isRetryable()} tells them apart without {@code instanceof}.
 *   <li>{@link #kind()} classifies the failure independently of the vendor.
 *   <li>The vendor's own error is kept when there is one: {@link #vendorName()} (for example {@code
 *       CKR_PIN_INCORRECT} or a KMIP result reason) and {@link #vendorCode()}.
 *   <li>Messages never contain secret material (PINs, passphrases, key bytes, plaintext).
 * </ul>
 */
public abstract sealed class HsmException extends Exception
    permits HsmRetryableException, HsmFatalException {

  private static final long serialVersionUID = 1L;

  /** Vendor-independent classification of a failure. */
  public enum Kind {
    /** Configuration is invalid (unknown key, contradiction, unreadable credential file ...). */
    CONFIG,
    /** Login failed: wrong PIN, locked PIN, wrong passphrase. */
    AUTHENTICATION,
    /** No key with that handle or label on this device. */
    KEY_NOT_FOUND,
    /** A key with that label already exists. */
    KEY_EXISTS,
    /** The key exists but is of the wrong type for the operation. */
    WRONG_KEY_TYPE,
    /** Authenticated decryption failed: tampered ciphertext or wrong associated data. */
    INTEGRITY,
    /** Caller input is invalid: point not on the curve, wrong length, empty label ... */
    INVALID_INPUT,
    /** The driver or device lacks the capability (see {@link Capability}). */
    UNSUPPORTED,
    /** Back-pressure: no session became free within the borrow timeout. Retryable. */
    BUSY,
    /** The device did not answer in time or the connection dropped. Retryable. */
    UNAVAILABLE,
    /** The driver is closed. */
    CLOSED,
    /** Any other device or driver failure. */
    DEVICE_ERROR
  }

  private final Kind kind;
  private final Long vendorCode;
  private final String vendorName;

  HsmException(Kind kind, String message, Long vendorCode, String vendorName, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.vendorCode = vendorCode;
    this.vendorName = vendorName;
  }

  /**
   * Whether the same call may succeed if repeated later (back-pressure, transient device state).
   */
  public abstract boolean isRetryable();

  /** The vendor-independent classification. */
  public Kind kind() {
    return kind;
  }

  /** The vendor's numeric error code (for example the CKR_ value), if known. */
  public OptionalLong vendorCode() {
    return vendorCode == null ? OptionalLong.empty() : OptionalLong.of(vendorCode);
  }

  /** The vendor's error name (for example {@code CKR_PIN_INCORRECT}), if known. */
  public Optional<String> vendorName() {
    return Optional.ofNullable(vendorName);
  }

  @Override
  public String toString() {
    String base =
        getClass().getName() + "[" + kind + (vendorName != null ? ", " + vendorName : "") + "]";
    String msg = getLocalizedMessage();
    return msg == null ? base : base + ": " + msg;
  }
}
