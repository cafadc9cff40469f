package dev.fleetvault.protocol.group;

/**
 * Thrown when bytes from outside do not encode a valid P-256 scalar, point or structure: wrong
 * length, wrong prefix, point not on the curve, the identity, scalar out of range, non-canonical
 * DER.
 *
 * <h2>Guarantees</h2>
 *
 * Unchecked on purpose (extends {@link IllegalArgumentException}): every decoder in the protocol
 * packages validates completely before returning, so a caller that does not catch it fails closed;
 * edges map it to an "invalid argument" status in one place. The message names what was wrong and
 * the expected shape, never secret content (at most lengths and prefixes).
 */
public final class InvalidEncodingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidEncodingException(String message) {
    super(message);
  }

  public InvalidEncodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
