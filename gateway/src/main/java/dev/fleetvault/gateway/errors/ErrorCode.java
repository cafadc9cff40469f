package dev.fleetvault.gateway.errors;

import io.vertx.grpc.common.GrpcStatus;

/**
 * Every error a node reports, with its stable wire code (sent as the gRPC trailer
 * {@code fleetvault-error} and as {@code error.code} in WebSocket error frames) and its gRPC
 * status. Codes never change meaning; new ones may be added. "Wrong PIN", "no guesses" and "not
 * registered" are not errors: they are results inside the answers.
 */
public enum ErrorCode {
  /** Missing, malformed, unknown-issuer, badly signed or expired token. */
  UNAUTHENTICATED("unauthenticated", GrpcStatus.UNAUTHENTICATED),
  /** The token is valid but does not allow this request. */
  PERMISSION_DENIED("permission_denied", GrpcStatus.PERMISSION_DENIED),
  /** The request could not be decoded or failed validation (lengths, curve points, fields). */
  BAD_REQUEST("bad_request", GrpcStatus.INVALID_ARGUMENT),
  /** A message or frame version this node does not speak. */
  UNSUPPORTED_VERSION("unsupported_version", GrpcStatus.INVALID_ARGUMENT),
  /** The message is larger than {@code limits.max_message_bytes}. */
  TOO_LARGE("too_large", GrpcStatus.RESOURCE_EXHAUSTED),
  /** Too many requests from this user or address; retry later. */
  RATE_LIMITED("rate_limited", GrpcStatus.RESOURCE_EXHAUSTED),
  /** The HSM worker queue is full; retry later. */
  HSM_BUSY("hsm_busy", GrpcStatus.RESOURCE_EXHAUSTED),
  /** An envelope or attempt was already used (replay); nothing was evaluated. */
  REPLAYED("replayed", GrpcStatus.FAILED_PRECONDITION),
  /** The request does not fit the record's state (e.g. phase 2 without a committed attempt). */
  FAILED_PRECONDITION("failed_precondition", GrpcStatus.FAILED_PRECONDITION),
  /** Fewer than a majority of members could be reached or agreed; nothing was spent. */
  NO_MAJORITY("no_majority", GrpcStatus.UNAVAILABLE),
  /** A member, the ledger or the HSM did not answer in time; safe to retry. */
  TIMEOUT("timeout", GrpcStatus.UNAVAILABLE),
  /** This node is shutting down or not ready. */
  NOT_READY("not_ready", GrpcStatus.UNAVAILABLE),
  /** No such method or WebSocket message type. */
  UNKNOWN_METHOD("unknown_method", GrpcStatus.UNIMPLEMENTED),
  /** A bug or an HSM fault; details are in the node's log, never in the answer. */
  INTERNAL("internal", GrpcStatus.INTERNAL);

  private final String wire;
  private final GrpcStatus status;

  ErrorCode(String wire, GrpcStatus status) {
    this.wire = wire;
    this.status = status;
  }

  /** The stable code on the wire. */
  public String wire() {
    return wire;
  }

  /** The gRPC status it maps to. */
  public GrpcStatus grpcStatus() {
    return status;
  }

  /** Parses a wire code; {@link #INTERNAL} for an unknown one. */
  public static ErrorCode fromWire(String wire) {
    for (ErrorCode c : values()) {
      if (c.wire.equals(wire)) {
        return c;
      }
    }
    return INTERNAL;
  }
}
