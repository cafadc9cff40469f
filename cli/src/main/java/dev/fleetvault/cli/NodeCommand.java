package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.cli.impl.HomePaths;
import dev.fleetvault.gateway.FleetvaultNode;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.config.NodeSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fleetvault node}: one node. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    header = "Start one node.",
    description =
        "Starts one node (this data center's member) from its configuration and runs until interrupted.")
final class NodeCommand implements Callable<Integer> {
  @ParentCommand FleetvaultCommand parent;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      required = true,
      description = "Node configuration.")
  Path config;

  @Option(
      names = "--member",
      paramLabel = "ID",
      description =
          "Which member to run when the file has several node entries. Default: its only node.")
  String member;

  @Option(
      names = "--data-root",
      paramLabel = "DIR",
      description = "Overrides the configuration's data_root.")
  Path dataRoot;

  @Override
  public Integer call() throws Exception {
    Io io = parent.io();
    NodeConfig cfg = ClientFactory.loadConfig(HomePaths.resolve(config), dataRoot);
    dev.fleetvault.cli.impl.Logging.showFleetvaultInfo();
    String id = member;
    if (id == null) {
      if (cfg.nodes().size() != 1) {
        throw new CliException(
            ExitCodes.USAGE,
            cfg.source()
                + " has "
                + cfg.nodes().size()
                + " node entries; choose one with --member (or use 'fleetvault up' for all of them)");
      }
      NodeSpec only = cfg.nodes().get(0);
      id = only.member();
    }
    FleetvaultNode node;
    try {
      node = FleetvaultNode.startBlocking(cfg, id);
    } catch (Exception e) {
      throw new CliException(ExitCodes.FAILURE, "node " + id + " did not start: " + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              closeQuietly(node, io);
              stopped.countDown();
            },
            "fleetvault-node-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    io.out()
        .println(
            "node "
                + node.memberId()
                + " up: edge "
                + node.clientAddress()
                + ", peer "
                + node.peerAddress());
    io.out().flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      closeQuietly(node, io);
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }

  private static void closeQuietly(FleetvaultNode node, Io io) {
    try {
      node.close();
      io.err().println("fleetvault: node stopped");
    } catch (Exception e) {
      io.err().println("fleetvault: error while stopping the node: " + e.getMessage());
    }
  }
}
