package dev.fleetvault.gateway.http;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * One node's Prometheus registry (also handed to vertx-micrometer-metrics for the Vert.x
 * metrics) and the Fleetvault meters: {@code fleetvault.requests} (timer by transport, method,
 * outcome), {@code fleetvault.hsm.calls} (timer by op, outcome), {@code fleetvault.ledger.commits}
 * (timer by command, outcome), {@code fleetvault.guesses.refused} (counter by reason),
 * {@code fleetvault.member.evaluations} (OPRF evaluations this member sent) and
 * {@code fleetvault.member.releases} (masked shares this member released).
 */
public final class NodeMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** @param memberId tagged on every meter */
  public NodeMetrics(String memberId) {
    registry.config().commonTags("member", memberId);
  }

  /** The registry. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Records one client request. */
  public void request(String transport, String method, String outcome, long startNanos) {
    Timer.builder("fleetvault.requests").tag("transport", transport).tag("method", method)
        .tag("outcome", outcome).register(registry)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** Records one ledger command round trip. */
  public void commit(String command, String outcome, long startNanos) {
    Timer.builder("fleetvault.ledger.commits").tag("command", command).tag("outcome", outcome)
        .register(registry).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** Counts a guess refused (no majority, no guesses left, rate limited...). */
  public void guessRefused(String reason) {
    registry.counter("fleetvault.guesses.refused", "reason", reason).increment();
  }

  /** Counts one OPRF evaluation ({@code k_i·B}) answered by this member. */
  public void evaluated() {
    registry.counter("fleetvault.member.evaluations").increment();
  }

  /** Counts one masked share released by this member. */
  public void released() {
    registry.counter("fleetvault.member.releases").increment();
  }

  /** OPRF evaluations answered by this member since the node started. */
  public long evaluations() {
    return (long) registry.counter("fleetvault.member.evaluations").count();
  }

  /** Masked shares released by this member since the node started. */
  public long releases() {
    return (long) registry.counter("fleetvault.member.releases").count();
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
