package dev.fleetvault.quorum;

/**
 * A record-store operation could not be performed because this node does not see a majority of the
 * fleet (a minority partition refuses reads and writes) or the node is closed. Nothing was changed
 * by this call; retry later. Maps to gRPC {@code UNAVAILABLE} at the edge.
 */
public final class QuorumUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QuorumUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
