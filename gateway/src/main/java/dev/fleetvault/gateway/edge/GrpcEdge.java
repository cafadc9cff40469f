package dev.fleetvault.gateway.edge;

import com.google.protobuf.Message;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.Errors;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.http.NodeMetrics;
import dev.fleetvault.protocol.wire.StatusRequest;
import dev.fleetvault.protocol.wire.StatusResponse;
import dev.fleetvault.protocol.wire.VaultGrpcService;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;

/**
 * The client-facing {@code Vault} gRPC service: reads the {@code authorization} metadata, hands
 * each request to {@link EdgeService}, and maps failures through {@link Errors}. Undecodable and
 * oversized messages are answered INVALID_ARGUMENT / RESOURCE_EXHAUSTED.
 */
public final class GrpcEdge {
  private final EdgeService edge;
  private final StatusSource status;
  private final NodeMetrics metrics;

  /**
   * @param edge the edge role; @param status the status source; @param metrics meters
   */
  public GrpcEdge(EdgeService edge, StatusSource status, NodeMetrics metrics) {
    this.edge = edge;
    this.status = status;
    this.metrics = metrics;
  }

  /** Registers the Vault methods on {@code server}. */
  public void bind(GrpcServer server) {
    bind(server, VaultGrpcService.Register1, VaultMethod.REGISTER1);
    bind(server, VaultGrpcService.Register2, VaultMethod.REGISTER2);
    bind(server, VaultGrpcService.Recover0, VaultMethod.RECOVER0);
    bind(server, VaultGrpcService.Recover1, VaultMethod.RECOVER1);
    bind(server, VaultGrpcService.Recover2, VaultMethod.RECOVER2);
    bind(server, VaultGrpcService.Delete, VaultMethod.DELETE);
    server.callHandler(strict(VaultGrpcService.Status, StatusRequest.class), this::status);
    server.callHandler(dev.fleetvault.protocol.health.HealthGrpcService.Check, this::health);
  }

  /**
   * The standard {@code grpc.health.v1.Health/Check}: SERVING while this node is ready (majority
   * reachable, HSM answering), else NOT_SERVING; for service {@code ""} (the node) and {@code
   * fleetvault.v1.Vault}, NOT_FOUND for any other. Unauthenticated; reveals only readiness.
   */
  private void health(
      GrpcServerRequest<
              dev.fleetvault.protocol.health.HealthCheckRequest,
              dev.fleetvault.protocol.health.HealthCheckResponse>
          call) {
    long start = System.nanoTime();
    guard(call, "Health.Check", start);
    call.last()
        .onSuccess(
            req -> {
              String service = req.getService();
              if (!service.isEmpty()
                  && !service.equals(VaultGrpcService.SERVICE_NAME.fullyQualifiedName())) {
                call.response()
                    .status(io.vertx.grpc.common.GrpcStatus.NOT_FOUND)
                    .statusMessage("unknown service")
                    .end();
                metrics.request("grpc", "Health.Check", "not_found", start);
                return;
              }
              status
                  .ready()
                  .otherwise(false)
                  .onComplete(
                      ar -> {
                        boolean ok = ar.succeeded() && Boolean.TRUE.equals(ar.result());
                        call.response()
                            .end(
                                dev.fleetvault.protocol.health.HealthCheckResponse.newBuilder()
                                    .setStatus(
                                        ok
                                            ? dev.fleetvault.protocol.health.HealthCheckResponse
                                                .ServingStatus.SERVING
                                            : dev.fleetvault.protocol.health.HealthCheckResponse
                                                .ServingStatus.NOT_SERVING)
                                    .build());
                        metrics.request("grpc", "Health.Check", "ok", start);
                      });
            })
        .onFailure(err -> fail(call, "Health.Check", start, decodeError(err)));
  }

  /**
   * {@code rpc} with a decoder that refuses a message longer than its type's limit ({@link
   * dev.fleetvault.protocol.wire.WireCodec#maxSize}) before parsing: the limit is on the bytes
   * received, so a message padded with repeated fields that re-encodes small is refused too.
   */
  @SuppressWarnings("unchecked")
  static <Q extends Message, R extends Message> ServiceMethod<Q, R> strict(
      ServiceMethod<Q, R> rpc, Class<Q> type) {
    int max = dev.fleetvault.protocol.wire.WireCodec.maxSize(type);
    com.google.protobuf.Parser<Q> parser;
    try {
      parser = (com.google.protobuf.Parser<Q>) type.getMethod("parser").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no parser for " + type.getName(), e);
    }
    io.vertx.grpc.common.GrpcMessageDecoder<Q> decoder =
        new io.vertx.grpc.common.GrpcMessageDecoder<>() {
          @Override
          public Q decode(io.vertx.grpc.common.GrpcMessage msg) {
            int len = msg.payload().length();
            if (len > max) {
              throw new io.vertx.grpc.common.CodecException(
                  new dev.fleetvault.protocol.wire.WireFormatException(
                      dev.fleetvault.protocol.wire.WireFormatException.Reason.TOO_LARGE,
                      type.getSimpleName() + " is " + len + " bytes, limit " + max));
            }
            try {
              return parser.parseFrom(msg.payload().getBytes());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
              throw new io.vertx.grpc.common.CodecException(e);
            }
          }

          @Override
          public boolean accepts(io.vertx.grpc.common.WireFormat format) {
            return format == io.vertx.grpc.common.WireFormat.PROTOBUF;
          }
        };
    return ServiceMethod.server(
        rpc.serviceName(),
        rpc.methodName(),
        io.vertx.grpc.common.GrpcMessageEncoder.encoder(),
        decoder);
  }

  @SuppressWarnings("unchecked")
  private <Q extends Message, R extends Message> void bind(
      GrpcServer server, ServiceMethod<Q, R> rpc, VaultMethod method) {
    Class<Q> type;
    try {
      type = (Class<Q>) method.parser().parsePartialFrom(new byte[0]).getClass();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    server.callHandler(
        strict(rpc, type),
        call -> {
          long start = System.nanoTime();
          String remote = remote(call);
          String requestId = RequestIds.next();
          guard(call, method.rpcName(), start);
          call.last()
              .onSuccess(
                  RequestIds.wrap(
                      requestId,
                      msg -> {
                        try {
                          edge.admitAddress(remote);
                        } catch (FleetvaultException e) {
                          fail(call, method.rpcName(), start, e);
                          return;
                        }
                        edge.handle(method, msg, call.headers().get("authorization"))
                            .onComplete(
                                RequestIds.wrap(
                                    requestId,
                                    ar -> {
                                      if (ar.succeeded()) {
                                        @SuppressWarnings("unchecked")
                                        R resp = (R) ar.result();
                                        call.response().end(resp);
                                        metrics.request("grpc", method.rpcName(), "ok", start);
                                      } else {
                                        fail(call, method.rpcName(), start, ar.cause());
                                      }
                                    }));
                      }))
              .onFailure(
                  RequestIds.wrap(
                      requestId, err -> fail(call, method.rpcName(), start, decodeError(err))));
        });
  }

  private static FleetvaultException decodeError(Throwable err) {
    for (Throwable c = err; c != null; c = c.getCause()) {
      if (c instanceof dev.fleetvault.protocol.wire.WireFormatException wfe) {
        return Errors.wire(wfe);
      }
      if (c instanceof io.vertx.grpc.common.MessageSizeOverflowException) {
        return new FleetvaultException(ErrorCode.TOO_LARGE, "message larger than the node accepts");
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return new FleetvaultException(ErrorCode.BAD_REQUEST, "message could not be decoded");
  }

  private void status(GrpcServerRequest<StatusRequest, StatusResponse> call) {
    long start = System.nanoTime();
    String remote = remote(call);
    guard(call, "Status", start);
    call.last()
        .onSuccess(
            msg -> {
              try {
                edge.admitAddress(remote);
                dev.fleetvault.protocol.wire.WireCodec.check(msg);
              } catch (dev.fleetvault.protocol.wire.WireFormatException e) {
                fail(call, "Status", start, Errors.wire(e));
                return;
              } catch (FleetvaultException e) {
                fail(call, "Status", start, e);
                return;
              }
              status
                  .status(msg.getKnownBundleEpoch(), msg.getKnownTreeSize())
                  .onComplete(
                      ar -> {
                        if (ar.succeeded()) {
                          call.response().end(ar.result());
                          metrics.request("grpc", "Status", "ok", start);
                        } else {
                          fail(call, "Status", start, ar.cause());
                        }
                      });
            })
        .onFailure(err -> fail(call, "Status", start, decodeError(err)));
  }

  private void guard(GrpcServerRequest<?, ?> call, String method, long start) {
    call.invalidMessageHandler(invalid -> fail(call, method, start, decodeError(invalid)));
    // an error reported on the call's stream still gets an answer instead of a stream left open
    call.exceptionHandler(
        err -> {
          try {
            fail(
                call,
                method,
                start,
                new FleetvaultException(
                    ErrorCode.BAD_REQUEST, "the gRPC stream could not be read"));
          } catch (IllegalStateException alreadyAnswered) {
            // the answer was already sent
          }
        });
  }

  private void fail(GrpcServerRequest<?, ?> call, String method, long start, Throwable t) {
    FleetvaultException e = Errors.classify(t);
    metrics.request("grpc", method, e.code().wire(), start);
    Errors.fail(call.response(), e);
  }

  private static String remote(GrpcServerRequest<?, ?> call) {
    try {
      return call.connection().remoteAddress().hostAddress();
    } catch (RuntimeException e) {
      return "?";
    }
  }
}
