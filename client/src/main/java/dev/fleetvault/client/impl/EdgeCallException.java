package dev.fleetvault.client.impl;

import dev.fleetvault.client.Edge;

/**
 * A call to one edge that produced no response message.
 *
 * <p>{@link Kind#UNREACHABLE}: the request never left (no connection), so the same request may go
 * to another edge. {@link Kind#LOST}: the request may have arrived (timeout, reset) — a guess may
 * have been counted. {@link Kind#REFUSED}: the edge answered with an error {@link #code()} (the
 * node's stable wire code, such as {@code no_majority} or {@code unauthenticated}).
 */
public final class EdgeCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How the call failed. */
  public enum Kind {
    /** Not sent: could not connect. */
    UNREACHABLE,
    /** Sent, but no answer (timeout, connection lost). */
    LOST,
    /** The edge answered with an error. */
    REFUSED
  }

  private final transient Edge edge;
  private final Kind kind;
  private final String code;

  /**
   * @param edge the edge called
   * @param kind how it failed
   * @param code the node's error code when {@link Kind#REFUSED}, else a local one ({@code
   *     unreachable}, {@code lost})
   * @param message what happened (from the edge or the transport; never secret content)
   */
  public EdgeCallException(Edge edge, Kind kind, String code, String message) {
    super(edge + ": " + message, null, false, false);
    this.edge = edge;
    this.kind = kind;
    this.code = code;
  }

  /** The edge that failed. */
  public Edge edge() {
    return edge;
  }

  /** How the call failed. */
  public Kind kind() {
    return kind;
  }

  /** The error code. */
  public String code() {
    return code;
  }

  /**
   * True when another edge may do better: not reached, lost, or the edge itself could not reach a
   * majority.
   */
  public boolean edgeProblem() {
    return kind != Kind.REFUSED
        || dev.fleetvault.protocol.wire.ErrorCodes.retryable(
            dev.fleetvault.protocol.wire.ErrorCodes.fromWireName(code));
  }
}
