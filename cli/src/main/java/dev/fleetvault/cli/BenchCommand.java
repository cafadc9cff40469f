package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.cli.impl.ProgressBarListener;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.loadgen.FleetCpu;
import dev.fleetvault.loadgen.LoadGenerator;
import dev.fleetvault.loadgen.LoadOptions;
import dev.fleetvault.loadgen.LoadReport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fleetvault bench}: the load generator. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    header = "Load generator: throughput, latency, crypto ceiling, fleet CPU per recovery.",
    description = {
      "Load generator: registers N users, then recovers them from C concurrent callers for S seconds (or "
          + "starts --rate recoveries per second, open loop). Prints throughput, p50/p90/p99 latency and the crypto ceiling "
          + "measured in this process (single-thread cost of the server-side steps x steps per recovery / cores) with the ratio.",
      "It also reads the fleet's process CPU from the members' admin /metrics (the admin addresses in --config, or "
          + "--admin) before and after the timed phase, each process once, and prints the fleet's CPU per recovery, the "
          + "crypto CPU per recovery and their ratio (crypto efficiency).",
      "--latency-report runs three phases of S seconds: unloaded (one caller), peak (C callers) and half peak (open "
          + "loop at half the peak's throughput), and prints p99 at half peak against the unloaded p50."
    })
final class BenchCommand implements Callable<Integer> {
  @ParentCommand FleetvaultCommand parent;

  @Option(
      names = "--users",
      paramLabel = "N",
      defaultValue = "100",
      description = "Users to register. Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      defaultValue = "16",
      description = "Concurrent callers. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(
      names = "--duration",
      paramLabel = "S",
      defaultValue = "30",
      description = "Seconds of recovery load. Default: ${DEFAULT-VALUE}.")
  int duration;

  @Option(
      names = "--members",
      paramLabel = "n",
      defaultValue = "3",
      description = "Members in the fleet, for the ceiling. Default: ${DEFAULT-VALUE}.")
  int members;

  @Option(
      names = "--cores",
      paramLabel = "K",
      description = "Cores the fleet runs on, for the ceiling. Default: this machine's.")
  Integer cores;

  @Option(
      names = "--rate",
      paramLabel = "R",
      description =
          "Open loop: start R recoveries per second (at most C in flight), "
              + "latency from each intended start. Default: closed loop.")
  Double rate;

  @Option(
      names = "--latency-report",
      description = "Unloaded, peak and half-peak phases; prints p99 at half peak vs unloaded p50.")
  boolean latencyReport;

  @Option(
      names = "--admin",
      paramLabel = "URL",
      split = ",",
      description =
          "Members' admin endpoints to read the fleet's "
              + "CPU from (http://host:port or its /metrics). Default: the admin addresses in --config.")
  List<String> admin = new ArrayList<>();

  @Option(names = "--no-fleet-cpu", description = "Do not read the fleet's CPU.")
  boolean noFleetCpu;

  @Mixin ConnectOptions connect;

  @Override
  public Integer call() throws InterruptedException {
    Io io = parent.io();
    LoadOptions options;
    try {
      options =
          new LoadOptions(
              users,
              concurrency,
              Duration.ofSeconds(duration),
              10,
              members,
              cores == null ? Runtime.getRuntime().availableProcessors() : cores,
              LoadOptions.DEFAULT_CEILING_MILLIS,
              rate == null ? 0 : rate,
              latencyReport);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    if (rate != null && rate <= 0) {
      throw new CliException(
          ExitCodes.USAGE, "--rate must be a positive number of recoveries per second");
    }
    FleetCpu cpu = noFleetCpu ? null : fleetCpu(io);
    LoadReport report;
    LoadGenerator generator;
    try (FleetvaultClient client = ClientFactory.open(connect);
        ProgressBarListener bar = new ProgressBarListener(io.err())) {
      generator = new LoadGenerator(client, options, bar, cpu);
      report = generator.run();
    }
    report.print(io.out());
    if (generator.fleetCpuError() != null) {
      io.out().println(generator.fleetCpuError());
    }
    io.out()
        .println(
            "pin stretching (client side, in this process): "
                + connect.pinParams()
                + "; transport: "
                + connect.transport().name().toLowerCase(java.util.Locale.ROOT));
    io.out().flush();
    if (report.registered() == 0 || report.recovered() == 0) {
      io.err()
          .println(
              "bench: nothing was "
                  + (report.registered() == 0 ? "registered" : "recovered")
                  + "; is the fleet up (./fleetvault up)?");
      return ExitCodes.UNAVAILABLE;
    }
    return ExitCodes.OK;
  }

  /**
   * The fleet CPU probe: --admin, else the admin addresses in --config; null (said on stderr) when
   * there are none.
   */
  private FleetCpu fleetCpu(Io io) {
    List<URI> urls = new ArrayList<>();
    try {
      if (!admin.isEmpty()) {
        for (String a : admin) {
          urls.add(metricsUrl(a.contains("://") ? a : "http://" + a));
        }
      } else {
        NodeConfig config = ClientFactory.loadConfig(connect.config(), connect.dataRoot());
        for (MemberSpec m : config.members()) {
          m.adminAddress()
              .ifPresent(
                  h ->
                      urls.add(
                          metricsUrl(
                              "http://"
                                  + (h.host().contains(":") ? "[" + h.host() + "]" : h.host())
                                  + ":"
                                  + h.port())));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--admin: " + e.getMessage());
    }
    if (urls.isEmpty()) {
      io.err()
          .println(
              "bench: no admin endpoints (none in the configuration, no --admin): fleet CPU not read");
      return null;
    }
    return new FleetCpu(urls);
  }

  static URI metricsUrl(String base) {
    URI u = URI.create(base);
    if (u.getHost() == null || !"http".equals(u.getScheme())) {
      throw new IllegalArgumentException("not an http://host:port URL: " + base);
    }
    return u.getPath() == null || u.getPath().isEmpty() || "/".equals(u.getPath())
        ? u.resolve("/metrics")
        : u;
  }
}
