package dev.fleetvault.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/**
 * The plain HTTP endpoints of a node: {@code GET /healthz} (200 while the process serves), {@code
 * GET /readyz} (200 only while this node reaches a majority of the fleet and its HSM answered its
 * last call, else 503) and, on the admin listener only, {@code GET /metrics} (Prometheus text). The
 * client edge serves {@link #client} (no metrics); the admin listener serves {@link #admin}.
 */
public final class HealthRoutes {
  private HealthRoutes() {}

  /** The admin listener's router: {@code /healthz}, {@code /readyz}, {@code /metrics}. */
  public static Router admin(Vertx vertx, NodeMetrics metrics, Supplier<Future<Boolean>> ready) {
    Router router = client(vertx, ready);
    router
        .get("/metrics")
        .handler(
            rc ->
                rc.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    return router;
  }

  /**
   * The client edge's router: {@code /healthz} and {@code /readyz}; {@code ready} is asked on every
   * {@code /readyz}.
   */
  public static Router client(Vertx vertx, Supplier<Future<Boolean>> ready) {
    Router router = Router.router(vertx);
    router
        .get("/healthz")
        .handler(rc -> rc.response().putHeader("content-type", "text/plain").end("ok\n"));
    router
        .get("/readyz")
        .handler(
            rc ->
                ready
                    .get()
                    .otherwise(false)
                    .onComplete(
                        ar -> {
                          boolean ok = ar.succeeded() && Boolean.TRUE.equals(ar.result());
                          rc.response()
                              .setStatusCode(ok ? 200 : 503)
                              .putHeader("content-type", "text/plain")
                              .end(
                                  ok
                                      ? "ready\n"
                                      : "not ready: no majority reachable, or the HSM is not answering\n");
                        }));
    return router;
  }
}
