package dev.fleetvault.gateway.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One node's Prometheus registry (also handed to vertx-micrometer-metrics for the Vert.x metrics)
 * and the Fleetvault meters: {@code fleetvault.requests} (timer by transport, method, outcome),
 * {@code fleetvault.hsm.calls} (timer by op, outcome), {@code fleetvault.ledger.commits} (timer by
 * command, outcome), {@code fleetvault.guesses.refused} (counter by reason), {@code
 * fleetvault.member.evaluations} (OPRF evaluations this member sent) and {@code
 * fleetvault.member.releases} (masked shares this member released); every {@code fleetvault.*}
 * timer is a Prometheus histogram (buckets 1 ms .. 60 s: quantiles with {@code
 * histogram_quantile()}, aggregable across nodes). Also the JVM and process meters of
 * micrometer-core, {@code fleetvault_build_info}, {@code fleetvault_process_info} (pid, JVM start
 * time), and the Raft and HSM pool gauges bound by {@link #bindQuorum} and the HSM executor. The
 * full list is in {@code config/README.md}. No meter carries a user id, a key, a PIN or any other
 * secret: tags are fixed vocabularies (transport, method, outcome, op, command, reason, member).
 */
public final class NodeMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<List<String>, Timer> requestTimers = new ConcurrentHashMap<>();
  private final Map<List<String>, Timer> commitTimers = new ConcurrentHashMap<>();
  private final Counter evaluations;
  private final Counter releases;

  /**
   * @param memberId tagged on every meter
   */
  public NodeMetrics(String memberId) {
    registry.config().commonTags("member", memberId);
    registry.config().meterFilter(HISTOGRAMS);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    BuildInfo build = BuildInfo.current();
    Gauge.builder("fleetvault.build.info", () -> 1)
        .description("Fleetvault version and commit (value 1)")
        .tag("version", build.version())
        .tag("commit", build.commit())
        .register(registry);
    // Which process this is: members sharing a JVM export the same process meters, and the load
    // generator counts the fleet's process CPU once per process (pid + JVM start time).
    Gauge.builder("fleetvault.process.info", () -> 1)
        .description("this node's process: pid and JVM start time (value 1)")
        .tag("pid", Long.toString(ProcessHandle.current().pid()))
        .tag(
            "start_millis",
            Long.toString(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()))
        .register(registry);
    evaluations = registry.counter("fleetvault.member.evaluations");
    releases = registry.counter("fleetvault.member.releases");
  }

  /** Every fleetvault timer publishes histogram buckets (1 ms .. 60 s). */
  static final MeterFilter HISTOGRAMS =
      new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(
            Meter.Id id, DistributionStatisticConfig config) {
          if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("fleetvault.")) {
            return DistributionStatisticConfig.builder()
                .percentilesHistogram(true)
                .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                .maximumExpectedValue((double) Duration.ofSeconds(60).toNanos())
                .build()
                .merge(config);
          }
          return config;
        }
      };

  /**
   * Registers the Raft gauges read from {@code quorum} at scrape time (absent node: NaN): {@code
   * fleetvault.raft.term}, {@code .commit.index}, {@code .last.applied}, {@code .apply.lag}, {@code
   * .log.size}, {@code .leader} (leader's member id, -1 unknown), {@code .is.leader}, and {@code
   * fleetvault.quorum.majority.reachable}.
   */
  public void bindQuorum(java.util.function.Supplier<dev.fleetvault.quorum.QuorumNode> quorum) {
    raftGauge("fleetvault.raft.term", "current Raft term", quorum, m -> m.term());
    raftGauge(
        "fleetvault.raft.commit.index",
        "highest committed log index known here",
        quorum,
        m -> m.commitIndex());
    raftGauge(
        "fleetvault.raft.last.applied",
        "highest log index applied here",
        quorum,
        m -> m.lastApplied());
    raftGauge(
        "fleetvault.raft.apply.lag",
        "committed entries not yet applied here",
        quorum,
        m -> m.applyLag());
    raftGauge(
        "fleetvault.raft.log.size", "entries in this node's Raft log", quorum, m -> m.logSize());
    Gauge.builder(
            "fleetvault.raft.leader",
            () -> {
              dev.fleetvault.quorum.QuorumNode q = quorum.get();
              return q == null ? Double.NaN : q.leader().map(Integer::doubleValue).orElse(-1.0);
            })
        .description("member id of the Raft leader (-1 unknown)")
        .register(registry);
    Gauge.builder(
            "fleetvault.raft.is.leader",
            () -> {
              dev.fleetvault.quorum.QuorumNode q = quorum.get();
              return q == null ? Double.NaN : "Leader".equalsIgnoreCase(q.status().role()) ? 1 : 0;
            })
        .description("1 while this node is the Raft leader")
        .register(registry);
    Gauge.builder(
            "fleetvault.quorum.majority.reachable",
            () -> {
              dev.fleetvault.quorum.QuorumNode q = quorum.get();
              return q == null ? Double.NaN : q.majorityReachable() ? 1 : 0;
            })
        .description("1 while the ledger and the record store see a majority")
        .register(registry);
  }

  private void raftGauge(
      String name,
      String description,
      java.util.function.Supplier<dev.fleetvault.quorum.QuorumNode> quorum,
      java.util.function.ToLongFunction<dev.fleetvault.quorum.RaftMetrics> f) {
    Gauge.builder(
            name,
            () -> {
              dev.fleetvault.quorum.QuorumNode q = quorum.get();
              return q == null
                  ? Double.NaN
                  : q.raftMetrics().map(m -> (double) f.applyAsLong(m)).orElse(Double.NaN);
            })
        .description(description)
        .register(registry);
  }

  /** The registry. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Records one client request. */
  public void request(String transport, String method, String outcome, long startNanos) {
    // meters are looked up once per tag combination (fixed vocabularies, so the map is bounded),
    // not built and registered on every request
    requestTimers
        .computeIfAbsent(
            List.of(transport, method, outcome),
            k ->
                Timer.builder("fleetvault.requests")
                    .tag("transport", transport)
                    .tag("method", method)
                    .tag("outcome", outcome)
                    .register(registry))
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** Records one ledger command round trip. */
  public void commit(String command, String outcome, long startNanos) {
    commitTimers
        .computeIfAbsent(
            List.of(command, outcome),
            k ->
                Timer.builder("fleetvault.ledger.commits")
                    .tag("command", command)
                    .tag("outcome", outcome)
                    .register(registry))
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** Counts a guess refused (no majority, no guesses left, rate limited...). */
  public void guessRefused(String reason) {
    registry.counter("fleetvault.guesses.refused", "reason", reason).increment();
  }

  /** Counts one OPRF evaluation ({@code k_i·B}) answered by this member. */
  public void evaluated() {
    evaluations.increment();
  }

  /** Counts one masked share released by this member. */
  public void released() {
    releases.increment();
  }

  /** OPRF evaluations answered by this member since the node started. */
  public long evaluations() {
    return (long) evaluations.count();
  }

  /** Masked shares released by this member since the node started. */
  public long releases() {
    return (long) releases.count();
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
