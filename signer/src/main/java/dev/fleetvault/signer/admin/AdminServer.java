package dev.fleetvault.signer.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The signer's admin listener: its own address and port ({@code admin:} in the signer's
 * configuration), never the API port, serving {@code GET /metrics} (Prometheus text format 0.0.4),
 * {@code GET /healthz} (200 while the process serves) and {@code GET /readyz} (200 only while the
 * signer accepts writes and its HSM key signed the last time it was asked; else 503 naming why).
 *
 * <p>Guarantees: binds only the configured host; plain HTTP without authentication, so bind it to
 * an address only the monitoring network reaches; serves nothing secret (see {@link
 * SignerMetrics}); nothing else is routed (404). The scrape runs off the event loop.
 */
public final class AdminServer {
  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts the listener.
   *
   * @param host the address to bind (only this one)
   * @param port the port (0 = any free port)
   * @param metrics what {@code /metrics} serves
   * @param notReady null while ready, else why not (asked on every {@code /readyz})
   * @param guard installs the listener's connection limit on the server
   */
  public static Future<AdminServer> start(
      Vertx vertx,
      String host,
      int port,
      SignerMetrics metrics,
      Supplier<String> notReady,
      UnaryOperator<HttpServer> guard) {
    Router r = Router.router(vertx);
    r.get("/healthz")
        .handler(c -> c.response().putHeader("Content-Type", "text/plain").end("ok\n"));
    r.get("/readyz")
        .handler(
            c -> {
              String why = notReady.get();
              c.response()
                  .setStatusCode(why == null ? 200 : 503)
                  .putHeader("Content-Type", "text/plain")
                  .end(why == null ? "ready\n" : "not ready: " + why + "\n");
            });
    r.get("/metrics")
        .handler(
            c ->
                vertx
                    .executeBlocking(metrics::scrape, false)
                    .onComplete(
                        ar -> {
                          if (ar.succeeded()) {
                            c.response()
                                .putHeader(
                                    "Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                                .end(ar.result());
                          } else {
                            c.response().setStatusCode(500).end("scrape failed\n");
                          }
                        }));
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setMaxInitialLineLength(4096)
            .setMaxHeaderSize(8192)
            .setIdleTimeout(30);
    return guard
        .apply(vertx.createHttpServer(options))
        .requestHandler(r)
        .listen()
        .map(AdminServer::new);
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }

  /** Stops listening. */
  public Future<Void> close() {
    return server.close();
  }
}
