package dev.fleetvault.bundles;

/**
 * Input that does not have the exact format this module defines (canonical JSON, signed note,
 * checkpoint, tile path, bundle). The message names the field or line at fault and never contains
 * key material beyond public values.
 *
 * <p>Guarantee: every parser in this module throws this (and nothing else) for malformed input, and
 * parsing never has side effects.
 */
public final class FormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, naming the field
   */
  public FormatException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong, naming the field
   * @param cause the lower-level failure
   */
  public FormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
