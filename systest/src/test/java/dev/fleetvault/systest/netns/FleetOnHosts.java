package dev.fleetvault.systest.netns;

import dev.fleetvault.cli.impl.DevTokens;
import dev.fleetvault.cli.impl.LocalRealm;
import dev.fleetvault.client.ClientOptions;
import dev.fleetvault.client.Edge;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.RealmSource;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.protocol.flow.RealmConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A development fleet of one node per host of {@link NetnsHosts}, each started with {@code bin/fleetvault node}
 * from the unpacked {@link Distribution}: host i runs member {@code dc<i>} on its own address (fixed ports: every
 * host has its own address), with its own configuration file and its own data directory
 * ({@code <run>/hosts/dc<i>/}; never shared).
 *
 * <p><b>TEMPORARY (until nodes boot from the ceremony's signed bundle):</b> today's nodes learn each other's public
 * keys and the development peer CA from {@code <data_root>/fleet/}, so every host's {@code data_root} is one
 * common directory {@code <run>/dev-fleet-SHARED/} holding only that {@code fleet/} directory. Real separate hosts
 * cannot share it; the artifact work removes this.
 */
public final class FleetOnHosts {
  /** The Argon2id parameter set the test clients use (the configuration allows it). */
  public static final String PIN_PARAMS = "argon2id-v1-insecure-test-only";
  /** How long a node may take to print its start-up line. */
  public static final Duration START_DEADLINE = Duration.ofSeconds(150);
  private static final String APP_KEY = "dev-app-jwt.DEVELOPMENT-ONLY.key.pem";
  private static final String APP_PUB = "dev-app-jwt.DEVELOPMENT-ONLY.pub.pem";
  private static final String PASSPHRASE = "dev-soft-hsm-passphrase.DEVELOPMENT-ONLY.txt";

  private final NetnsHosts hosts;
  private final Distribution dist;
  private final Path run;
  private final HostProcess[] nodes;

  /** Writes one configuration per host under {@code run}. */
  public FleetOnHosts(NetnsHosts hosts, Distribution dist, Path run) throws IOException {
    this.hosts = hosts;
    this.dist = dist;
    this.run = run;
    this.nodes = new HostProcess[hosts.size()];
    for (int i = 1; i <= hosts.size(); i++) {
      Path dir = hostDir(i);
      Files.createDirectories(dir.resolve("config"));
      Files.createDirectories(dir.resolve("data"));
      Files.copy(dist.config(APP_PUB), dir.resolve("config").resolve(APP_PUB));
      Files.copy(dist.config(PASSPHRASE), dir.resolve("config").resolve(PASSPHRASE));
      Files.writeString(config(i), yaml(i), StandardCharsets.UTF_8);
    }
  }

  /** The member id of host {@code i}. */
  public static String member(int i) {
    return "dc" + i;
  }

  /** Host {@code i}'s directory (its configuration and data; no other host uses it). */
  public Path hostDir(int i) {
    return run.resolve("hosts").resolve(member(i));
  }

  /** Host {@code i}'s configuration file. */
  public Path config(int i) {
    return hostDir(i).resolve("config").resolve("node.yaml");
  }

  private Path sharedDevFleetRoot() {
    return run.resolve("dev-fleet-SHARED");
  }

  private String yaml(int self) {
    StringBuilder y = new StringBuilder();
    y.append("# host ").append(member(self)).append(" of a separate-hosts systest fleet\n");
    y.append("version: 1\n");
    y.append("# TEMPORARY: shared development fleet directory (public keys + dev CA) until the ceremony bundle\n");
    y.append("data_root: ").append(sharedDevFleetRoot()).append('\n');
    y.append("fleet:\n  id: systest\n  members:\n");
    for (int i = 1; i <= hosts.size(); i++) {
      String a = hosts.address(i);
      y.append("    - id: ").append(member(i)).append('\n')
          .append("      client: ").append(a).append(":7401\n")
          .append("      peer: ").append(a).append(":7411\n")
          .append("      raft: ").append(a).append(":7421\n")
          .append("      cluster: ").append(a).append(":7431\n");
    }
    y.append("apps:\n  - id: dev-app\n    public_keys: [").append(APP_PUB).append("]\n");
    y.append("limits:\n  per_user_per_minute: 600\n  per_address_per_minute: 60000\n  request_timeout_ms: 5000\n");
    y.append("registration:\n  max_guess_limit: 100\n  pin_params: [argon2id-v1-default, ").append(PIN_PARAMS)
        .append("]\n");
    y.append("nodes:\n  - member: ").append(member(self)).append('\n')
        .append("    data_dir: ").append(hostDir(self).resolve("data")).append('\n')
        .append("    hsm:\n      driver: soft\n")
        .append("      allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]\n")
        .append("      timeout_ms: 10000\n")
        .append("      settings:\n")
        .append("        key_file: ${data_dir}/soft-hsm.DEVELOPMENT-ONLY.keys\n")
        .append("        passphrase_file: ${config_dir}/").append(PASSPHRASE).append('\n')
        .append("        kdf_memory_kib: 8192\n        kdf_iterations: 1\n");
    return y.toString();
  }

  /** Starts host {@code i}'s node (does not wait). */
  public HostProcess start(int i) throws IOException {
    Map<String, String> env = new HashMap<>(System.getenv());
    Distribution.isolate(env, "256m");
    HostProcess p = hosts.start(i, member(i), List.of(dist.bin().toString(), "node", "--config",
        config(i).toString()), env, hostDir(i));
    nodes[i - 1] = p;
    return p;
  }

  /** Waits until host {@code i}'s node printed its start-up line; throws with its log tail otherwise. */
  public void awaitUp(int i) throws InterruptedException {
    HostProcess p = nodes[i - 1];
    if (p.awaitLine("node " + member(i) + " up", START_DEADLINE).isEmpty()) {
      throw new IllegalStateException("node " + member(i) + " not up within " + START_DEADLINE + " ("
          + (p.process().isAlive() ? "running" : "exit " + p.process().exitValue()) + ")\n" + p.tail(40));
    }
  }

  /** Starts every node, then waits for each. */
  public void startAll() throws IOException, InterruptedException {
    for (int i = 1; i <= hosts.size(); i++) {
      start(i);
    }
    for (int i = 1; i <= hosts.size(); i++) {
      awaitUp(i);
    }
  }

  /** Host {@code i}'s node process (the latest start). */
  public HostProcess node(int i) {
    return nodes[i - 1];
  }

  /** Every edge, host order. */
  public List<Edge> edges() {
    List<Edge> e = new ArrayList<>();
    for (int i = 1; i <= hosts.size(); i++) {
      e.add(new Edge(hosts.address(i), 7401));
    }
    return e;
  }

  /**
   * A client in the test JVM over every edge, sealing to the member keys the nodes published (pinned realm), with
   * tokens signed by the distribution's development app key.
   */
  public FleetvaultClient client(List<Edge> edges, Duration requestTimeout) throws IOException {
    NodeConfig cfg = NodeConfig.load(config(1));
    RealmConfig realm = LocalRealm.read(cfg, PIN_PARAMS);
    DevTokens tokens = new DevTokens("dev-app", cfg.fleetId(), DevTokens.readPrivateKey(dist.config(APP_KEY)),
        Duration.ofMinutes(10), Clock.systemUTC());
    return FleetvaultClient.create(ClientOptions.builder()
        .edges(edges)
        .appId("dev-app")
        .tokens(tokens)
        .realm(RealmSource.pinned(realm))
        .requestTimeout(requestTimeout)
        .connectTimeout(Duration.ofSeconds(2))
        .build());
  }
}
