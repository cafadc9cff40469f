package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.cli.impl.HomePaths;
import dev.fleetvault.cli.impl.LocalBundles;
import dev.fleetvault.gateway.LocalFleet;
import dev.fleetvault.gateway.config.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fleetvault up}: the local fleet in this JVM. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    header = "Start the local fleet (every member in this JVM).",
    description =
        "Starts every member of a multi-member configuration in this JVM (the local fleet), prints the "
            + "edges and runs until interrupted (Ctrl-C). A second 'up' on the same data keeps the registered users. "
            + "Also starts a local signer (DEVELOPMENT ONLY), publishes the fleet's validation bundle (a new epoch only "
            + "when the member keys changed), and writes the trust file <data_root>/fleet/trust.json that the other "
            + "commands verify the bundle with.")
final class UpCommand implements Callable<Integer> {
  @ParentCommand FleetvaultCommand parent;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = "config/local.yaml",
      description = "Fleet configuration. Default: ${DEFAULT-VALUE}.")
  Path config;

  @Option(
      names = "--data-root",
      paramLabel = "DIR",
      description =
          "Overrides the configuration's data_root; give the same --data-root (or set FLEETVAULT_DATA_ROOT "
              + "for both) to the commands that connect to this fleet. Default: $FLEETVAULT_DATA_ROOT if set, "
              + "else data_root.")
  Path dataRoot;

  @Option(
      names = "--signer-port",
      paramLabel = "PORT",
      defaultValue = "0",
      description =
          "Port of the local signer on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}.")
  int signerPort;

  @Override
  public Integer call() throws Exception {
    Io io = parent.io();
    Path chosenRoot = dev.fleetvault.cli.impl.DataRoots.choose(dataRoot);
    NodeConfig cfg = ClientFactory.loadConfig(HomePaths.resolve(config), chosenRoot);
    dev.fleetvault.cli.impl.Logging.showFleetvaultInfo();
    io.err()
        .println(
            "fleetvault: starting fleet "
                + cfg.fleetId()
                + " ("
                + cfg.nodes().size()
                + " nodes, data under "
                + cfg.dataRoot()
                + ") ...");
    LocalFleet fleet;
    try {
      fleet = LocalFleet.start(cfg);
    } catch (Exception e) {
      throw new CliException(ExitCodes.FAILURE, "the fleet did not start: " + e.getMessage());
    }
    LocalBundles bundles;
    try {
      bundles = LocalBundles.start(cfg, fleet, signerPort);
    } catch (Exception e) {
      closeQuietly(fleet, io);
      throw new CliException(
          ExitCodes.FAILURE, "the local signer did not start or publish: " + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              closeQuietly(bundles, io);
              closeQuietly(fleet, io);
              stopped.countDown();
            },
            "fleetvault-up-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    for (LocalFleet.Edge e : fleet.edges()) {
      io.out()
          .println(
              "edge "
                  + e.memberId()
                  + "  "
                  + e.hostPort()
                  + "  (gRPC, WebSocket /v1/ws, /healthz /readyz)"
                  + fleet
                      .node(e.memberId())
                      .adminAddress()
                      .map(a -> "; admin " + a + " (/metrics /healthz /readyz)")
                      .orElse(""));
    }
    io.out()
        .println(
            "signer "
                + bundles.signerUrl()
                + "  (DEVELOPMENT ONLY local signer; fleet bundle epoch "
                + bundles.epoch()
                + ")");
    io.out()
        .println(
            "transparency "
                + bundles.transparencyUrl()
                + "  (static site of every published epoch)");
    io.out()
        .println(
            "trust "
                + bundles.trustFile()
                + "  (pinned signer + operator keys; the CLI verifies the bundle with it)");
    if (chosenRoot != null) {
      io.out()
          .println(
              "connect  with --data-root "
                  + cfg.dataRoot()
                  + " (or "
                  + dev.fleetvault.cli.impl.DataRoots.ENV
                  + "="
                  + cfg.dataRoot()
                  + ") on bench, register, recover, ... so they find this trust file");
    }
    io.out().println("fleetvault: local fleet up; press Ctrl-C to stop");
    io.out().flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Stopped in-process (tests): close the fleet here instead of in the hook.
      Runtime.getRuntime().removeShutdownHook(hook);
      closeQuietly(bundles, io);
      closeQuietly(fleet, io);
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }

  private static void closeQuietly(LocalBundles bundles, Io io) {
    try {
      bundles.close();
    } catch (Exception e) {
      io.err().println("fleetvault: error while stopping the local signer: " + e.getMessage());
    }
  }

  private static void closeQuietly(LocalFleet fleet, Io io) {
    try {
      fleet.close();
      io.err().println("fleetvault: fleet stopped");
    } catch (Exception e) {
      io.err().println("fleetvault: error while stopping the fleet: " + e.getMessage());
    }
  }
}
