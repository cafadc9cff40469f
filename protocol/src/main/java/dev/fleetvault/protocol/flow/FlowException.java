package dev.fleetvault.protocol.flow;

/** Base of the protocol-flow errors. Unchecked; the message never contains secret content. */
public class FlowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FlowException(String message) {
    super(message);
  }

  public FlowException(String message, Throwable cause) {
    super(message, cause);
  }
}
