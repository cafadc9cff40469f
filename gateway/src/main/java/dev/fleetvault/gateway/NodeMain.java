package dev.fleetvault.gateway;

import dev.fleetvault.gateway.config.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Process entry point for one node (the CLI's {@code fleetvault node} does the same): {@code
 * NodeMain --config FILE [--member ID] [--data DIR]}. Without {@code --member} the file must start
 * exactly one node. Prints {@code READY <member> <client host:port>} once serving and runs until
 * killed; exit code 2 on bad arguments or configuration, 1 on start-up failure.
 */
public final class NodeMain {
  private NodeMain() {}

  /** Runs the node. */
  public static void main(String[] args) throws Exception {
    Path config = null;
    Path data = null;
    String member = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--config":
          config = Path.of(args[i + 1]);
          break;
        case "--member":
          member = args[i + 1];
          break;
        case "--data":
          data = Path.of(args[i + 1]);
          break;
        default:
          System.err.println("unknown option " + args[i]);
          System.exit(2);
      }
    }
    if (config == null || args.length % 2 != 0) {
      System.err.println("usage: NodeMain --config FILE [--member ID] [--data DIR]");
      System.exit(2);
    }
    NodeConfig cfg;
    try {
      cfg = NodeConfig.load(config, data);
    } catch (RuntimeException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (member == null) {
      if (cfg.nodes().size() != 1) {
        System.err.println(config + " starts " + cfg.nodes().size() + " nodes; pass --member ID");
        System.exit(2);
      }
      member = cfg.nodes().get(0).member();
    }
    FleetvaultNode node;
    try {
      node = FleetvaultNode.startBlocking(cfg, member);
    } catch (Exception e) {
      System.err.println("node " + member + " failed to start: " + e);
      System.exit(1);
      return;
    }
    System.out.println("READY " + member + " " + node.clientAddress());
    System.out.flush();
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                  } catch (Exception ignored) {
                    // exiting anyway
                  }
                  done.countDown();
                }));
    done.await();
  }
}
