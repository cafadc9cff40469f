package dev.fleetvault.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet's CPU time, read from the members' admin {@code /metrics} endpoints: the process CPU
 * counter ({@value #CPU_METRIC}, micrometer's {@code process.cpu.time}) of every process behind
 * them, each process counted once. Several members in one JVM (the local fleet) export the same
 * process: they are told apart by {@value #PROCESS_METRIC} (labels {@code pid} and {@code
 * start_millis}, the JVM's process id and start time), so the fleet's CPU is the sum over distinct
 * processes, not over members.
 *
 * <p>Read before and after a timed phase, {@link #between} gives the CPU seconds the fleet spent in
 * it. Measurement only: nothing here is trusted for anything but the printed figures.
 */
public final class FleetCpu {
  /** The process CPU counter in nanoseconds (micrometer {@code process.cpu.time}, base unit ns). */
  static final String CPU_METRIC = "process_cpu_time_ns_total";

  /** One per process: labels {@code pid} and {@code start_millis}; value 1. */
  static final String PROCESS_METRIC = "fleetvault_process_info";

  /**
   * CPU seconds by process key ({@code pid@start_millis}) at one moment, and how many endpoints
   * answered.
   */
  public record Snapshot(Map<String, Double> cpuSecondsByProcess, int endpoints) {}

  /**
   * CPU the fleet used between two snapshots.
   *
   * @param cpuSeconds CPU seconds summed over the distinct processes seen in both snapshots
   * @param processes distinct processes
   * @param endpoints admin endpoints read
   */
  public record Usage(double cpuSeconds, int processes, int endpoints) {}

  private final List<URI> metrics;
  // HTTP/1.1: the JDK client's default h2c upgrade on plain http:// is not what the admin listener
  // speaks
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * @param metrics the members' {@code http://host:port/metrics} URLs (at least one)
   */
  public FleetCpu(List<URI> metrics) {
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("no admin /metrics endpoint to read the fleet's CPU from");
    }
    this.metrics = List.copyOf(metrics);
  }

  /** The endpoints read. */
  public List<URI> endpoints() {
    return metrics;
  }

  /** Reads every endpoint now; an endpoint that does not answer is an error naming it. */
  public Snapshot read() throws IOException, InterruptedException {
    List<String> bodies = new ArrayList<>();
    for (URI u : metrics) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException(u + " answered HTTP " + r.statusCode());
      }
      bodies.add(r.body());
    }
    return snapshot(bodies);
  }

  /**
   * The snapshot of these {@code /metrics} bodies, one per endpoint: CPU seconds per distinct
   * process.
   */
  static Snapshot snapshot(List<String> bodies) {
    Map<String, Double> byProcess = new LinkedHashMap<>();
    for (String body : bodies) {
      List<PrometheusText.Sample> ids = PrometheusText.samples(body, PROCESS_METRIC);
      List<PrometheusText.Sample> cpu = PrometheusText.samples(body, CPU_METRIC);
      if (ids.isEmpty() || cpu.isEmpty()) {
        throw new IllegalArgumentException(
            "an admin endpoint exports no "
                + (ids.isEmpty() ? PROCESS_METRIC : CPU_METRIC)
                + " (a node older than this bench?)");
      }
      Map<String, String> id = ids.get(0).labels();
      String key = id.get("pid") + "@" + id.get("start_millis");
      if (id.get("pid") == null || id.get("start_millis") == null) {
        throw new IllegalArgumentException(PROCESS_METRIC + " without pid and start_millis labels");
      }
      // One process exports one CPU figure; members in it each repeat it (tagged with their member
      // id).
      double seconds = cpu.get(0).value() / 1e9;
      byProcess.merge(key, seconds, Math::max);
    }
    return new Snapshot(Map.copyOf(byProcess), bodies.size());
  }

  /** The CPU used from {@code before} to {@code after}, over the processes present in both. */
  public static Usage between(Snapshot before, Snapshot after) {
    double sum = 0;
    int n = 0;
    for (Map.Entry<String, Double> e : after.cpuSecondsByProcess().entrySet()) {
      Double b = before.cpuSecondsByProcess().get(e.getKey());
      if (b != null) {
        sum += e.getValue() - b;
        n++;
      }
    }
    return new Usage(sum, n, after.endpoints());
  }
}
