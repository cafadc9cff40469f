package dev.fleetvault.quorum;

/**
 * {@link QuorumNode#start} could not bring the node up within its start-up deadline; the message
 * says why.
 */
public final class QuorumStartException extends Exception {
  private static final long serialVersionUID = 1L;

  public QuorumStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
