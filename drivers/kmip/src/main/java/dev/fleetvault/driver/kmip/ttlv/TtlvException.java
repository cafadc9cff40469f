package dev.fleetvault.driver.kmip.ttlv;

/**
 * A TTLV message is malformed, exceeds a {@link TtlvLimits} bound, or does not have the shape a
 * KMIP message needs. The message names the offending tag and offset but never a value.
 */
public final class TtlvException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a description of the format problem. */
  public TtlvException(String message) {
    super(message);
  }
}
