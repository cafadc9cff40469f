package dev.fleetvault.gateway.errors;

import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into what the caller sees: gRPC status + trailer {@code
 * fleetvault-error}, or a WebSocket error frame. Unknown failures become {@link ErrorCode#INTERNAL}
 * with a generic message; their detail goes to the log only.
 */
public final class Errors {
  /** The gRPC trailer (and, for trailers-only error responses, header) carrying the stable code. */
  public static final String TRAILER = dev.fleetvault.protocol.wire.ErrorCodes.TRAILER;

  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  /** Classifies any failure. */
  public static FleetvaultException classify(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof FleetvaultException) {
      return (FleetvaultException) c;
    }
    if (c instanceof dev.fleetvault.protocol.wire.WireFormatException) {
      return wire((dev.fleetvault.protocol.wire.WireFormatException) c);
    }
    if (c instanceof java.net.ConnectException
        || c instanceof java.nio.channels.ClosedChannelException
        || c instanceof io.vertx.core.http.HttpClosedException
        || c instanceof io.vertx.core.http.StreamResetException) {
      return new FleetvaultException(ErrorCode.NOT_READY, "member unreachable");
    }
    if (c instanceof TimeoutException
        || c instanceof io.vertx.core.VertxException
            && String.valueOf(c.getMessage()).contains("imeout")) {
      return new FleetvaultException(ErrorCode.TIMEOUT, "timed out; safe to retry");
    }
    LOG.warn("internal error mapped to 'internal'", c);
    return new FleetvaultException(ErrorCode.INTERNAL, "internal error");
  }

  /** Maps the protocol's strict-decoding failures. */
  public static FleetvaultException wire(dev.fleetvault.protocol.wire.WireFormatException e) {
    ErrorCode code = ErrorCode.of(dev.fleetvault.protocol.wire.ErrorCodes.of(e));
    switch (code) {
      case UNSUPPORTED_VERSION:
        return new FleetvaultException(
            code, "this node speaks version 1, suite 1, frame version 1");
      case TOO_LARGE:
        return new FleetvaultException(code, "message too large");
      default:
        return new FleetvaultException(
            code, "malformed request (" + e.reason().name().toLowerCase() + ")");
    }
  }

  /** Ends a gRPC call with the mapped status. */
  public static void fail(GrpcServerResponse<?, ?> response, Throwable t) {
    FleetvaultException e = classify(t);
    try {
      response.headers().set(TRAILER, e.code().wire());
      response.trailers().set(TRAILER, e.code().wire());
      response.status(e.code().grpcStatus()).statusMessage(e.getMessage()).end();
    } catch (IllegalStateException alreadyEnded) {
      LOG.debug("response already ended: {}", e.code().wire());
    }
  }

  /** The error of a WebSocket error frame (ws.proto {@code WsError}). */
  public static dev.fleetvault.protocol.wire.WsError wsError(Throwable t) {
    FleetvaultException e = classify(t);
    String m = e.getMessage() == null ? "" : e.getMessage();
    return dev.fleetvault.protocol.wire.WsError.newBuilder()
        .setCode(e.code().proto())
        .setMessage(m.length() > 200 ? m.substring(0, 200) : m)
        .build();
  }

  /** Maps a gRPC status received from a peer back to a code (for fan-out results). */
  public static ErrorCode fromGrpc(GrpcStatus status, String trailerCode) {
    if (trailerCode != null) {
      return ErrorCode.fromWire(trailerCode);
    }
    return ErrorCode.of(dev.fleetvault.protocol.wire.ErrorCodes.fromGrpcStatus(status.code));
  }
}
