package dev.fleetvault.gateway.support;

import dev.fleetvault.gateway.NodeMain;
import dev.fleetvault.gateway.config.NodeConfig;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TestFleet#writeConfig test configuration} run as one {@link NodeMain} process per member
 * (soft driver), so that a test can freeze a member with {@code kill -STOP}, resume it with {@code
 * kill -CONT}, or kill it with SIGKILL. Every process is killed on close.
 */
public final class NodeProcesses implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeProcesses.class);

  private final Path dir;
  private final Path yaml;
  private final NodeConfig config;
  private final Process[] procs;

  private NodeProcesses(Path dir, Path yaml, int n) {
    this.dir = dir;
    this.yaml = yaml;
    this.config = NodeConfig.load(yaml, null);
    this.procs = new Process[n];
  }

  /** Writes a 3-member configuration in {@code dir} and starts the three processes. */
  public static NodeProcesses start(Path dir) throws Exception {
    Path yaml = TestFleet.writeConfig(dir, Ports.freeBlock(12), null);
    NodeProcesses p = new NodeProcesses(dir, yaml, 3);
    List<CompletableFuture<String>> ready = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      ready.add(p.launch(i));
    }
    for (CompletableFuture<String> r : ready) {
      LOG.info("-- {}", r.get(5, TimeUnit.MINUTES));
    }
    return p;
  }

  /** Starts (or restarts) member {@code i} (1-based); completes with its READY line. */
  public CompletableFuture<String> launch(int i) throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-Dfleetvault.buildDir=" + dir.resolve("log-dc" + i),
            "-cp",
            System.getProperty("java.class.path"),
            NodeMain.class.getName(),
            "--config",
            yaml.toString(),
            "--member",
            "dc" + i);
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    procs[i - 1] = proc;
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  if (line.startsWith("READY ")) {
                    ready.complete(line);
                  } else if (line.contains("ERROR") || line.contains("WARN")) {
                    LOG.info("dc{}: {}", i, line);
                  }
                }
                ready.completeExceptionally(
                    new AssertionError("dc" + i + " exited: " + proc.waitFor()));
              } catch (Exception e) {
                ready.completeExceptionally(e);
              }
            },
            "node-dc" + i + "-out");
    t.setDaemon(true);
    t.start();
    return ready;
  }

  /** The fleet's configuration. */
  public NodeConfig config() {
    return config;
  }

  /** The gRPC transport to member {@code i}'s client edge. */
  public VaultTransport edge(Vertx vertx, int i) {
    var m = config.members().get(i - 1);
    return new GrpcTransport(vertx, m.client().host(), m.client().port());
  }

  /** Sends {@code signal} (e.g. STOP, CONT) to member {@code i}'s process. */
  public void signal(int i, String signal) throws Exception {
    Process p = procs[i - 1];
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
            .redirectErrorStream(true)
            .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + signal + " " + p.pid() + " failed");
    }
  }

  /** SIGKILL of member {@code i}'s process. */
  public void kill(int i) throws Exception {
    procs[i - 1].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    for (int i = 0; i < procs.length; i++) {
      if (procs[i] != null && procs[i].isAlive()) {
        try {
          signal(i + 1, "CONT");
        } catch (Exception | AssertionError ignored) {
          // killed next anyway
        }
        procs[i].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
