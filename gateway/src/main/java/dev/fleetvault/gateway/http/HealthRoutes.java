package dev.fleetvault.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/**
 * The plain HTTP endpoints of a node: {@code GET /healthz} (200 while the process serves),
 * {@code GET /readyz} (200 only while this node reaches a majority of the fleet, else 503),
 * {@code GET /metrics} (Prometheus text).
 */
public final class HealthRoutes {
  private HealthRoutes() {}

  /** Builds the router; {@code ready} is asked on every {@code /readyz}. */
  public static Router create(Vertx vertx, NodeMetrics metrics, Supplier<Future<Boolean>> ready) {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(rc -> rc.response().putHeader("content-type", "text/plain")
        .end("ok\n"));
    router.get("/readyz").handler(rc -> ready.get().otherwise(false).onComplete(ar -> {
      boolean ok = ar.succeeded() && Boolean.TRUE.equals(ar.result());
      rc.response().setStatusCode(ok ? 200 : 503).putHeader("content-type", "text/plain")
          .end(ok ? "ready\n" : "not ready: no majority reachable\n");
    }));
    router.get("/metrics").handler(rc -> rc.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape()));
    return router;
  }
}
