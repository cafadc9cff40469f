package dev.fleetvault.signer.admin;

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
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The signer's Prometheus registry and meters: {@code fleetvault.signer.requests} (timer by route
 * and outcome), {@code fleetvault.signer.hsm.sign} (timer by outcome: every Ed25519 signature the
 * HSM makes for a checkpoint or log entry), {@code fleetvault.signer.hsm.healthy} (0 after a
 * signature failed, until one succeeds), {@code fleetvault.signer.writable} (0 once a failed
 * durable append stopped the signer's writes), {@code fleetvault.signer.log.size} (entries in the
 * log), {@code fleetvault.build.info}, and micrometer-core's JVM and process meters. Every {@code
 * fleetvault.*} timer is a Prometheus histogram (buckets 1 ms .. 60 s). The full list is in {@code
 * config/README.md} (Metrics).
 *
 * <p>Guarantees: tags are fixed vocabularies (a route is the router's pattern, such as {@code GET
 * /namespaces/:ns/audits/:epoch}, never a request's path or values; an outcome is {@code ok}, a
 * {@code SignerException} reason or {@code internal}): no meter carries a namespace value, a
 * digest, a key or any request content.
 */
public final class SignerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private volatile boolean hsmHealthy = true;

  /** A registry with the JVM, process and build meters. */
  public SignerMetrics() {
    registry.config().meterFilter(HISTOGRAMS);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    String[] build = build();
    Gauge.builder("fleetvault.build.info", () -> 1)
        .description("Fleetvault version and commit (value 1)")
        .tag("version", build[0])
        .tag("commit", build[1])
        .register(registry);
    Gauge.builder("fleetvault.signer.hsm.healthy", () -> hsmHealthy ? 1 : 0)
        .description("0 after an HSM signature failed, until one succeeds")
        .register(registry);
  }

  /** Every fleetvault timer publishes histogram buckets (1 ms .. 60 s). */
  private static final MeterFilter HISTOGRAMS =
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
   * Binds the service gauges, read at scrape time.
   *
   * @param writable false once the signer stopped accepting writes
   * @param logSize entries in the log
   */
  public void bindService(BooleanSupplier writable, LongSupplier logSize) {
    Gauge.builder("fleetvault.signer.writable", () -> writable.getAsBoolean() ? 1 : 0)
        .description("0 once a failed durable append stopped the signer's writes (until restart)")
        .register(registry);
    Gauge.builder("fleetvault.signer.log.size", () -> (double) logSize.getAsLong())
        .description("entries in the signer's log")
        .register(registry);
  }

  /**
   * {@code sign}, timed as {@code fleetvault.signer.hsm.sign} and tracked for {@link
   * #hsmHealthy()}: a call that throws marks the HSM unhealthy, the next success healthy again.
   */
  public Function<byte[], byte[]> timedSigner(Function<byte[], byte[]> sign) {
    return message -> {
      long start = System.nanoTime();
      String outcome = "error";
      try {
        byte[] sig = sign.apply(message);
        outcome = "ok";
        hsmHealthy = true;
        return sig;
      } catch (RuntimeException e) {
        hsmHealthy = false;
        throw e;
      } finally {
        Timer.builder("fleetvault.signer.hsm.sign")
            .description("Ed25519 signatures made by the signer's HSM key")
            .tag("outcome", outcome)
            .register(registry)
            .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }
    };
  }

  /** Whether the last HSM signature succeeded (true before the first). */
  public boolean hsmHealthy() {
    return hsmHealthy;
  }

  /**
   * Records one API request.
   *
   * @param route the route pattern (a fixed vocabulary)
   * @param outcome {@code ok}, a reason name or {@code internal}
   * @param startNanos {@link System#nanoTime()} at arrival
   */
  public void request(String route, String outcome, long startNanos) {
    Timer.builder("fleetvault.signer.requests")
        .description("signer API requests, from arrival to answer")
        .tag("route", route)
        .tag("outcome", outcome)
        .register(registry)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** The registry. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  private static String[] build() {
    Properties p = new Properties();
    try (InputStream in =
        SignerMetrics.class.getResourceAsStream("/fleetvault-signer-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // unknown
    }
    return new String[] {clean(p.getProperty("version")), clean(p.getProperty("commit"))};
  }

  private static String clean(String v) {
    return v == null || v.isBlank() || v.startsWith("${") || !v.matches("[A-Za-z0-9._+-]{1,64}")
        ? "unknown"
        : v;
  }
}
