package dev.fleetvault.cli;

import dev.fleetvault.loadgen.LoadGenerator;
import dev.fleetvault.loadgen.LoadOptions;
import dev.fleetvault.loadgen.LoadReport;
import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.cli.impl.ProgressBarListener;
import dev.fleetvault.client.FleetvaultClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fleetvault bench}: the load generator. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    header = "Load generator: throughput, latency, crypto ceiling.",
    description = "Load generator: registers N users, then recovers them from C concurrent callers for S seconds. Prints throughput, p50/p90/p99 latency and the crypto ceiling measured in this process (single-thread cost of the server-side steps x steps per recovery / cores) with the ratio.")
final class BenchCommand implements Callable<Integer> {
    @ParentCommand
    FleetvaultCommand parent;

    @Option(names = "--users", paramLabel = "N", defaultValue = "100", description = "Users to register. Default: ${DEFAULT-VALUE}.")
    int users;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "16", description = "Concurrent callers. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "30", description = "Seconds of recovery load. Default: ${DEFAULT-VALUE}.")
    int duration;

    @Option(names = "--members", paramLabel = "n", defaultValue = "3", description = "Members in the fleet, for the ceiling. Default: ${DEFAULT-VALUE}.")
    int members;

    @Option(names = "--cores", paramLabel = "K", description = "Cores the fleet runs on, for the ceiling. Default: this machine's.")
    Integer cores;

    @Mixin
    ConnectOptions connect;

    @Override
    public Integer call() throws InterruptedException {
        Io io = parent.io();
        LoadOptions options;
        try {
            options = new LoadOptions(users, concurrency, Duration.ofSeconds(duration), 10, members,
                cores == null ? Runtime.getRuntime().availableProcessors() : cores);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
        LoadReport report;
        try (FleetvaultClient client = ClientFactory.open(connect);
             ProgressBarListener bar = new ProgressBarListener(io.err())) {
            report = new LoadGenerator(client, options, bar).run();
        }
        report.print(io.out());
        io.out().println("pin stretching (client side, in this process): " + connect.pinParams()
            + "; transport: " + connect.transport().name().toLowerCase(java.util.Locale.ROOT));
        io.out().flush();
        if (report.registered() == 0 || report.recovered() == 0) {
            io.err().println("bench: nothing was " + (report.registered() == 0 ? "registered" : "recovered")
                + "; is the fleet up (./fleetvault up)?");
            return ExitCodes.UNAVAILABLE;
        }
        return ExitCodes.OK;
    }
}
