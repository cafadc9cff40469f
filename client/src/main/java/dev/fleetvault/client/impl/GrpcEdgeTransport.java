package dev.fleetvault.client.impl;

import com.google.protobuf.Message;
import dev.fleetvault.client.Edge;
import dev.fleetvault.protocol.wire.ErrorCodes;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireFormatException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Vault calls over gRPC (HTTP/2 with prior knowledge, vertx-grpc-client). The token goes in the
 * {@code authorization: Bearer} metadata; the node's error code comes back in the {@code
 * fleetvault-error} trailer.
 */
public final class GrpcEdgeTransport implements EdgeTransport {
  private final Vertx vertx;
  private final GrpcClient client;
  private final long timeoutMillis;

  /**
   * @param vertx the Vert.x instance
   * @param requestTimeout deadline of one call
   * @param connectTimeout TCP connect timeout
   */
  public GrpcEdgeTransport(Vertx vertx, Duration requestTimeout, Duration connectTimeout) {
    this.vertx = vertx;
    this.timeoutMillis = requestTimeout.toMillis();
    HttpClientOptions http =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
            .setConnectTimeout((int) connectTimeout.toMillis());
    this.client =
        GrpcClient.client(
            vertx,
            new GrpcClientOptions()
                .setMaxMessageSize(1 << 20)
                .setScheduleDeadlineAutomatically(true),
            http);
  }

  @Override
  public <Q extends Message, A extends Message> Future<A> call(
      Edge edge, VaultMethod<Q, A> method, Q request, String token) {
    Promise<A> result = Promise.promise();
    long timer =
        vertx.setTimer(
            timeoutMillis + 1000,
            t ->
                result.tryFail(
                    new EdgeCallException(
                        edge, EdgeCallException.Kind.LOST, "lost", method.name() + " timed out")));
    client
        .request(SocketAddress.inetSocketAddress(edge.port(), edge.host()), method.grpc())
        .onFailure(
            e ->
                result.tryFail(
                    new EdgeCallException(
                        edge,
                        EdgeCallException.Kind.UNREACHABLE,
                        "unreachable",
                        "cannot connect (" + e.getClass().getSimpleName() + ")")))
        .onSuccess(
            req -> {
              if (token != null) {
                req.headers().set("authorization", "Bearer " + token);
              }
              req.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
              req.send(request)
                  .onFailure(e -> result.tryFail(lost(edge, method, e)))
                  .onSuccess(
                      resp ->
                          resp.last()
                              .onSuccess(msg -> complete(result, edge, method, msg))
                              .onFailure(e -> result.tryFail(failure(edge, method, resp, e))));
            });
    return result.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  /**
   * Completes with the answer if it passes the wire rules, else fails: a bad answer counts as none.
   */
  static <A extends Message> void complete(
      Promise<A> result, Edge edge, VaultMethod<?, A> method, A msg) {
    try {
      result.tryComplete(WireCodec.check(msg));
    } catch (WireFormatException e) {
      result.tryFail(
          new EdgeCallException(
              edge,
              EdgeCallException.Kind.REFUSED,
              "bad_response",
              method.name() + " answer failed the wire checks: " + e.getMessage()));
    }
  }

  private static EdgeCallException lost(Edge edge, VaultMethod<?, ?> method, Throwable e) {
    return new EdgeCallException(
        edge,
        EdgeCallException.Kind.LOST,
        "lost",
        method.name() + " got no answer (" + e.getClass().getSimpleName() + ")");
  }

  private static EdgeCallException failure(
      Edge edge, VaultMethod<?, ?> method, GrpcClientResponse<?, ?> resp, Throwable e) {
    GrpcStatus status = resp.status();
    if (status == null || status == GrpcStatus.OK) {
      return lost(edge, method, e);
    }
    String trailer = resp.trailers() == null ? null : resp.trailers().get(ErrorCodes.TRAILER);
    if (trailer == null || trailer.isEmpty()) {
      trailer = resp.headers() == null ? null : resp.headers().get(ErrorCodes.TRAILER);
    }
    String code = code(status.code, trailer);
    String msg = resp.statusMessage();
    return new EdgeCallException(
        edge,
        EdgeCallException.Kind.REFUSED,
        code,
        method.name()
            + " refused: "
            + code
            + (msg == null || msg.isEmpty() ? "" : " (" + msg + ")"));
  }

  /** PROTOCOL.md section 16: the trailer's wire name, else the status's fallback code. */
  static String code(int grpcStatus, String trailer) {
    return trailer == null || trailer.isEmpty()
        ? ErrorCodes.wireName(ErrorCodes.fromGrpcStatus(grpcStatus))
        : ErrorCodes.wireName(ErrorCodes.fromWireName(trailer));
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
