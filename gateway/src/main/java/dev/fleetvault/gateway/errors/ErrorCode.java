package dev.fleetvault.gateway.errors;

import dev.fleetvault.protocol.wire.ErrorCodes;
import io.vertx.grpc.common.GrpcStatus;

/**
 * Every error a node reports: the node's view of common.proto's {@code ErrorCode}, with the one
 * mapping to wire names (the gRPC trailer {@code fleetvault-error}) and gRPC statuses in {@link
 * ErrorCodes}; WebSocket error frames carry {@link #proto()}. Codes never change meaning; new ones
 * may be added. "Wrong PIN", "no guesses" and "not registered" are not errors: they are results
 * inside the answers.
 */
public enum ErrorCode {
  /**
   * Missing, malformed, unknown-issuer, badly signed, expired, wrong-audience or too long-lived
   * token.
   */
  UNAUTHENTICATED(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_UNAUTHENTICATED),
  /** The token is valid but does not allow this request. */
  PERMISSION_DENIED(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_PERMISSION_DENIED),
  /** The request could not be decoded or failed validation (lengths, curve points, fields). */
  BAD_REQUEST(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_BAD_REQUEST),
  /** A message or frame version this node does not speak. */
  UNSUPPORTED_VERSION(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_UNSUPPORTED_VERSION),
  /** The message is larger than {@code limits.max_message_bytes}. */
  TOO_LARGE(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_TOO_LARGE),
  /** Too many requests from this user or address; retry later. */
  RATE_LIMITED(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_RATE_LIMITED),
  /** The HSM worker queue is full; retry later. */
  HSM_BUSY(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_HSM_BUSY),
  /** An envelope or attempt was already used (replay); nothing was evaluated. */
  REPLAYED(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_REPLAYED),
  /** The request does not fit the record's state (e.g. phase 2 without a committed attempt). */
  FAILED_PRECONDITION(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_FAILED_PRECONDITION),
  /** Fewer than a majority of members could be reached or agreed; nothing was spent. */
  NO_MAJORITY(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_NO_MAJORITY),
  /** A member, the ledger or the HSM did not answer in time; safe to retry. */
  TIMEOUT(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_TIMEOUT),
  /** This node is shutting down or not ready. */
  NOT_READY(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_NOT_READY),
  /** No such method or WebSocket message type. */
  UNKNOWN_METHOD(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_UNKNOWN_METHOD),
  /** A bug or an HSM fault; details are in the node's log, never in the answer. */
  INTERNAL(dev.fleetvault.protocol.wire.ErrorCode.ERROR_CODE_INTERNAL);

  private final dev.fleetvault.protocol.wire.ErrorCode proto;

  ErrorCode(dev.fleetvault.protocol.wire.ErrorCode proto) {
    this.proto = proto;
  }

  /** The common.proto value. */
  public dev.fleetvault.protocol.wire.ErrorCode proto() {
    return proto;
  }

  /** The stable code on the wire (the trailer and MemberUnavailable.reason). */
  public String wire() {
    return ErrorCodes.wireName(proto);
  }

  /** The gRPC status it maps to. */
  public GrpcStatus grpcStatus() {
    return GrpcStatus.valueOf(ErrorCodes.grpcStatus(proto));
  }

  /** The node code of a common.proto value; {@link #INTERNAL} for an unknown one. */
  public static ErrorCode of(dev.fleetvault.protocol.wire.ErrorCode proto) {
    dev.fleetvault.protocol.wire.ErrorCode p = ErrorCodes.of(proto);
    for (ErrorCode c : values()) {
      if (c.proto == p) {
        return c;
      }
    }
    return INTERNAL;
  }

  /** Parses a wire code; {@link #INTERNAL} for an unknown one. */
  public static ErrorCode fromWire(String wire) {
    return of(ErrorCodes.fromWireName(wire));
  }
}
