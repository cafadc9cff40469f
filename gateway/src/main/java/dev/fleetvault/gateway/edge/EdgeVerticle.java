package dev.fleetvault.gateway.edge;

import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.gateway.config.LimitsSpec;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;

/**
 * The client edge's one HTTP server: gRPC ({@code content-type: application/grpc} or {@code
 * application/grpc+proto}, HTTP/2 cleartext or HTTP/1.1 upgrade), the WebSocket at {@code /v1/ws},
 * and the plain routes ({@code /healthz /readyz /metrics}). Completes its start promise from {@code
 * listen}.
 *
 * <p>gRPC-Web ({@code application/grpc-web*}), gRPC with the JSON codec ({@code
 * application/grpc+json}) and HTTP/JSON transcoding, which Vert.x 5's gRPC server enables by
 * default, are turned off (PROTOCOL.md section 4.3): the protocol has one encoding and two
 * transports, and a browser uses the WebSocket. Such requests get HTTP 415 with {@code accept:
 * application/grpc}.
 */
public final class EdgeVerticle extends AbstractVerticle {
  private final HostPort bind;
  private final int maxMessageBytes;
  private final GrpcEdge grpc;
  private final WebSocketEdge ws;
  private final java.util.function.Function<io.vertx.core.Vertx, Router> routes;
  private final LimitsSpec limits;
  private volatile int actualPort;
  private HttpServer server;

  /**
   * @param bind where to listen (port 0: any free port, see {@link #actualPort()})
   * @param maxMessageBytes largest gRPC message / WebSocket frame
   * @param grpc the gRPC service
   * @param ws the WebSocket transport
   * @param routes builds the plain HTTP routes
   * @param limits idle and header timeouts, connections per address, HTTP/2 streams
   */
  public EdgeVerticle(
      HostPort bind,
      int maxMessageBytes,
      GrpcEdge grpc,
      WebSocketEdge ws,
      java.util.function.Function<io.vertx.core.Vertx, Router> routes,
      LimitsSpec limits) {
    this.limits = limits;
    this.bind = bind;
    this.maxMessageBytes = maxMessageBytes;
    this.grpc = grpc;
    this.ws = ws;
    this.routes = routes;
  }

  @Override
  public void start(Promise<Void> startPromise) {
    GrpcServerOptions grpcOptions = new GrpcServerOptions().setMaxMessageSize(maxMessageBytes);
    for (GrpcProtocol p : GrpcProtocol.values()) {
      if (p != GrpcProtocol.HTTP_2) {
        grpcOptions.removeEnabledProtocol(p); // gRPC-Web, gRPC-Web text, transcoding: off
      }
    }
    GrpcServer grpcServer = GrpcServer.server(vertx, grpcOptions);
    grpc.bind(grpcServer);
    Router router = routes.apply(vertx);
    server =
        createServer(vertx, bind, maxMessageBytes, limits)
            .requestHandler(req -> route(req, grpcServer, router));
    server
        .listen()
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                actualPort = ar.result().actualPort();
                startPromise.complete();
              } else {
                startPromise.fail(ar.cause());
              }
            });
  }

  private void route(HttpServerRequest req, GrpcServer grpcServer, Router router) {
    String ct = req.getHeader("content-type");
    if (ct != null && ct.startsWith("application/grpc")) {
      String encoding = req.getHeader("grpc-encoding");
      if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
        // PROTOCOL.md 4.1: no compression (a compressed frame could also inflate past every limit)
        req.response()
            .putHeader("content-type", "application/grpc")
            .putHeader("grpc-accept-encoding", "identity")
            .putHeader("grpc-status", "3")
            .putHeader(
                "grpc-message",
                "grpc-encoding "
                    + encoding.replaceAll("[^A-Za-z0-9_.-]", "?")
                    + " is not supported: send uncompressed frames")
            .putHeader("fleetvault-error", "bad_request")
            .end();
      } else if (isGrpcProto(ct)) {
        grpcServer.handle(req);
      } else {
        req.response()
            .setStatusCode(415)
            .putHeader("accept", "application/grpc")
            .end("only application/grpc (protobuf) is served; see PROTOCOL.md section 4.3");
      }
    } else if ("/v1/ws".equals(req.path())) {
      req.toWebSocket().onSuccess(ws::serve).onFailure(err -> {});
    } else {
      router.handle(req);
    }
  }

  /** {@code application/grpc} or {@code application/grpc+proto}, parameters allowed. */
  static boolean isGrpcProto(String contentType) {
    String base = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return base.equals("application/grpc") || base.equals("application/grpc+proto");
  }

  @Override
  public void stop(Promise<Void> stopPromise) {
    if (server == null) {
      stopPromise.complete();
    } else {
      server.close().onComplete(ar -> stopPromise.complete());
    }
  }

  /**
   * The edge listener's options: h2c for gRPC, frame and header bounds, and connection hygiene from
   * {@code limits} — a connection with no bytes in either direction for {@link
   * LimitsSpec#idleTimeoutMs()} is closed (idle sockets and half-sent requests included), and an
   * HTTP/2 connection may open at most {@link LimitsSpec#maxConcurrentStreams()} streams.
   */
  public static HttpServerOptions serverOptions(
      HostPort bind, int maxMessageBytes, LimitsSpec limits) {
    return new HttpServerOptions()
        .setHost(bind.host())
        .setPort(bind.port())
        .setHttp2ClearTextEnabled(true)
        .setMaxWebSocketFrameSize(maxMessageBytes * 2)
        .setMaxWebSocketMessageSize(maxMessageBytes * 2)
        .setMaxInitialLineLength(4096)
        .setMaxHeaderSize(16384)
        .setIdleTimeout(limits.idleTimeoutMs())
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .setInitialSettings(
            new io.vertx.core.http.Http2Settings()
                .setMaxConcurrentStreams(limits.maxConcurrentStreams()));
  }

  /**
   * The edge's HTTP server: {@link #serverOptions} and at most {@link
   * LimitsSpec#maxConnectionsPerAddress()} open connections per remote address ({@link
   * dev.fleetvault.net.ConnectionLimit}).
   */
  public static io.vertx.core.http.HttpServer createServer(
      io.vertx.core.Vertx vertx, HostPort bind, int maxMessageBytes, LimitsSpec limits) {
    return new dev.fleetvault.net.ConnectionLimit(limits.maxConnectionsPerAddress())
        .guard(vertx.createHttpServer(serverOptions(bind, maxMessageBytes, limits)));
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return actualPort;
  }
}
