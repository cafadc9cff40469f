package dev.fleetvault.gateway.http;

import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.net.ConnectionLimit;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/**
 * The admin listener: its own address and port (a member's {@code admin} in the configuration),
 * never the client port, serving {@code /metrics}, {@code /healthz} and {@code /readyz} for
 * operators' monitoring. Plain HTTP without authentication: bind it to an address only the
 * monitoring network reaches. Serves nothing secret. Completes its start promise from {@code
 * listen}.
 */
public final class AdminVerticle extends AbstractVerticle {
  private final HostPort bind;
  private final Function<io.vertx.core.Vertx, Router> routes;
  private volatile int actualPort;
  private HttpServer server;

  private final int maxConnectionsPerAddress;

  /**
   * @param bind where to listen (port 0: any free port); @param routes builds the router
   */
  public AdminVerticle(HostPort bind, Function<io.vertx.core.Vertx, Router> routes) {
    this(
        bind, routes, dev.fleetvault.gateway.config.LimitsSpec.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
  }

  /**
   * @param bind where to listen (port 0: any free port)
   * @param routes builds the router
   * @param maxConnectionsPerAddress open connections one remote address may hold ({@link
   *     ConnectionLimit})
   */
  public AdminVerticle(
      HostPort bind, Function<io.vertx.core.Vertx, Router> routes, int maxConnectionsPerAddress) {
    this.bind = bind;
    this.routes = routes;
    this.maxConnectionsPerAddress = maxConnectionsPerAddress;
  }

  @Override
  public void start(Promise<Void> startPromise) {
    Router router = routes.apply(vertx);
    server =
        new ConnectionLimit(maxConnectionsPerAddress)
            .guard(
                vertx.createHttpServer(
                    new HttpServerOptions()
                        .setHost(bind.host())
                        .setPort(bind.port())
                        .setMaxInitialLineLength(4096)
                        .setMaxHeaderSize(8192)
                        .setIdleTimeout(30)))
            .requestHandler(router);
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

  @Override
  public void stop(Promise<Void> stopPromise) {
    if (server == null) {
      stopPromise.complete();
    } else {
      server.close().onComplete(ar -> stopPromise.complete());
    }
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return actualPort;
  }
}
