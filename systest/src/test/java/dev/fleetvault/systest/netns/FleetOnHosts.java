package dev.fleetvault.systest.netns;

import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.cli.tokens.DevTokens;
import dev.fleetvault.client.BundleRealmSource;
import dev.fleetvault.client.ClientOptions;
import dev.fleetvault.client.Edge;
import dev.fleetvault.client.FleetvaultClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A production fleet made the operator's way, one node per host of {@link NetnsHosts}, everything
 * run with {@code bin/fleetvault} from the unpacked {@link Distribution}:
 *
 * <ol>
 *   <li>host i gets its own directory {@code <run>/hosts/dc<i>/} (configuration, data, nothing
 *       shared) and runs {@code ceremony member} inside its namespace;
 *   <li>the ceremony host (root namespace) makes a witness key and runs {@code ceremony combine}
 *       ({@code --allow-soft-driver}: the nodes use the soft driver, allowed explicitly);
 *   <li>the operator makes its key, starts the independent signer (root namespace, on {@link
 *       NetnsHosts#rootAddress()}), writes {@code trust.json} and publishes the bundle;
 *   <li>only the public files (trust, bundle, evidence, witness public key) are copied into each
 *       host's directory; each node starts with {@code fleetvault node} and verifies the bundle,
 *       taking its peers and their pinned TLS certificates from the artifact.
 * </ol>
 *
 * Clients verify the bundle each edge serves against {@code trust.json} ({@link #client}).
 */
public final class FleetOnHosts {
  /** The Argon2id parameter set the test clients use (the configuration allows it). */
  public static final String PIN_PARAMS = "argon2id-v1-insecure-test-only";

  /** How long a node may take to print its start-up line, unless set otherwise. */
  public static final Duration START_DEADLINE = Duration.ofSeconds(180);

  /** Deadline of one administrative command (ceremony step, bundle step). */
  public static final Duration COMMAND_DEADLINE = Duration.ofSeconds(120);

  private static final int SIGNER_PORT = 37100;

  private final NetnsHosts hosts;
  private final Distribution dist;
  private final Path run;
  private final HostProcess[] nodes;
  private final AtomicInteger clients = new AtomicInteger();
  private final Path appKey;
  private final Path operator;
  private final Path ceremony;
  private Duration startDeadline = START_DEADLINE;

  /** Writes one configuration per host under {@code run}. */
  public FleetOnHosts(NetnsHosts hosts, Distribution dist, Path run) throws Exception {
    this.hosts = hosts;
    this.dist = dist;
    this.run = run;
    this.nodes = new HostProcess[hosts.size()];
    this.appKey = run.resolve("app/app.key.pem");
    this.operator = run.resolve("operator");
    this.ceremony = run.resolve("ceremony");
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair app = g.generateKeyPair();
    Files.createDirectories(appKey.getParent());
    Files.writeString(appKey, pem("PRIVATE KEY", app.getPrivate().getEncoded()));
    for (int i = 1; i <= hosts.size(); i++) {
      Path dir = hostDir(i);
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("app.pub.pem"), pem("PUBLIC KEY", app.getPublic().getEncoded()));
      Files.writeString(
          dir.resolve("soft-passphrase.txt"), member(i) + " soft driver passphrase\n");
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
    return hostDir(i).resolve(member(i) + ".yaml");
  }

  /** The trust anchors file the operator hands to clients. */
  public Path trust() {
    return operator.resolve("trust.json");
  }

  private String yaml(int self) {
    StringBuilder y = new StringBuilder();
    y.append("# host ")
        .append(member(self))
        .append(" of a separate-hosts systest fleet (production mode)\n");
    y.append("version: 1\ndata_root: data\n");
    y.append(
            "fleet_bundle:\n  trust: trust.json\n  file: fleet-bundle.json\n  evidence: evidence\n")
        .append("  witnesses: [alice=alice.pub.pem]\n  allow_soft_driver: true   # TESTS ONLY\n");
    y.append("fleet:\n  id: systest\n  members:\n");
    for (int i = 1; i <= hosts.size(); i++) {
      String a = hosts.address(i);
      y.append("    - id: ")
          .append(member(i))
          .append('\n')
          .append("      client: ")
          .append(a)
          .append(":7401\n")
          .append("      peer: ")
          .append(a)
          .append(":7411\n")
          .append("      raft: ")
          .append(a)
          .append(":7421\n")
          .append("      cluster: ")
          .append(a)
          .append(":7431\n");
    }
    y.append("apps:\n  - id: app\n    public_keys: [app.pub.pem]\n");
    y.append(
        "limits:\n  per_user_per_minute: 6000\n  per_address_per_minute: 600000\n  request_timeout_ms: 5000\n");
    y.append("registration:\n  max_guess_limit: 100\n  pin_params: [argon2id-v1-default, ")
        .append(PIN_PARAMS)
        .append("]\n");
    y.append("nodes:\n  - member: ")
        .append(member(self))
        .append('\n')
        .append("    hsm:\n      driver: soft\n")
        .append("      allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]\n")
        .append("      timeout_ms: 10000\n")
        .append("      settings:\n")
        .append("        key_file: ${data_dir}/soft-hsm.keys\n")
        .append("        passphrase_file: ${config_dir}/soft-passphrase.txt\n")
        .append("        kdf_memory_kib: 8192\n        kdf_iterations: 1\n");
    return y.toString();
  }

  /**
   * The key ceremony, the signer and the published bundle; the public files copied to every host.
   */
  public void ceremonyAndBundle() throws Exception {
    List<String> combine = new ArrayList<>(List.of("ceremony", "combine", "--statements"));
    for (int i = 1; i <= hosts.size(); i++) {
      Path out = hostDir(i).resolve("statement");
      inHost(
          i,
          "ceremony-member-" + member(i),
          "ceremony",
          "member",
          "--config",
          config(i).toString(),
          "--member",
          member(i),
          "--out",
          out.toString());
      Path ceremonyCopy = ceremony.resolve("statements").resolve(member(i));
      copyTree(out, ceremonyCopy); // carried to the ceremony host
      combine.add(ceremonyCopy.toString());
    }
    Path witnesses = ceremony.resolve("witness");
    inRoot(
        "witness-key", "ceremony", "witness-key", "--name", "alice", "--out", witnesses.toString());
    combine.addAll(
        List.of(
            "--witness",
            "alice=" + witnesses.resolve("alice.key.pem"),
            "--allow-soft-driver",
            "--out",
            ceremony.resolve("out").toString()));
    inRoot("combine", combine.toArray(String[]::new));

    Files.createDirectories(operator);
    Files.writeString(operator.resolve("op.pass"), "operator passphrase\n");
    Files.writeString(operator.resolve("signer.pass"), "signer passphrase\n");
    Path operatorConfig = operator.resolve("operator.yaml");
    Files.writeString(
        operatorConfig, "key_label: operator.p256\nhsm:\n" + hsm("operator.softkeys", "op.pass"));
    inRoot(
        "operator-key",
        "bundle",
        "operator-key",
        "--operator-config",
        operatorConfig.toString(),
        "--out",
        operator.resolve("operator.pub.pem").toString());
    Path signerYaml = operator.resolve("signer.yaml");
    Files.writeString(
        signerYaml,
        "listen: {host: "
            + hosts.rootAddress()
            + ", port: "
            + SIGNER_PORT
            + "}\n"
            + "data_dir: signer-data\norigin: systest.fleetvault.dev/signer\nnamespaces: [fleetvault.fleet_keys.v1]\n"
            + "key_label: signer.ed25519\nhsm:\n"
            + hsm("signer.softkeys", "signer.pass")
            + "operator:\n  public_key_file: operator.pub.pem\n");
    HostProcess signer =
        hosts.startInRoot(
            "signer",
            List.of(dist.bin().toString(), "signer", "--config", signerYaml.toString()),
            env(),
            operator);
    if (signer.awaitLine("fleetvault-signer listening on", START_DEADLINE).isEmpty()) {
      throw new IllegalStateException("signer did not start\n" + signer.tail(30));
    }
    String url = "http://" + hosts.rootAddress() + ":" + SIGNER_PORT;
    inRoot(
        "bundle-trust",
        "bundle",
        "trust",
        "--signer",
        url,
        "--operator-pub",
        operator.resolve("operator.pub.pem").toString(),
        "--out",
        trust().toString());
    Path bundle = operator.resolve("fleet-bundle.json");
    inRoot(
        "bundle-publish",
        "bundle",
        "publish",
        "--signer",
        url,
        "--artifact",
        ceremony.resolve("out/fleet-artifact.json").toString(),
        "--operator-config",
        operatorConfig.toString(),
        "--trust",
        trust().toString(),
        "--out",
        bundle.toString());
    for (int i = 1; i <= hosts.size(); i++) {
      Files.copy(trust(), hostDir(i).resolve("trust.json"));
      Files.copy(bundle, hostDir(i).resolve("fleet-bundle.json"));
      // The node names a witness after its file's stem: it must be the name combine used ("alice").
      Files.copy(witnesses.resolve("alice.pub.pem"), hostDir(i).resolve("alice.pub.pem"));
      copyTree(ceremony.resolve("out/evidence"), hostDir(i).resolve("evidence"));
    }
  }

  private void inHost(int i, String label, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(dist.bin().toString()));
    cmd.addAll(List.of(args));
    check(hosts.start(i, label, cmd, env(), hostDir(i)), label);
  }

  private void inRoot(String label, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(dist.bin().toString()));
    cmd.addAll(List.of(args));
    Files.createDirectories(operator);
    check(hosts.startInRoot(label, cmd, env(), operator), label);
  }

  private static void check(HostProcess p, String label) throws InterruptedException {
    int exit = p.awaitExit(COMMAND_DEADLINE);
    if (exit != 0) {
      throw new IllegalStateException(
          "fleetvault " + label + " exited " + exit + "\n" + p.tail(30));
    }
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    Distribution.isolate(env, "256m");
    return env;
  }

  /** Starts host {@code i}'s node (does not wait). */
  public HostProcess start(int i) throws IOException {
    HostProcess p =
        hosts.start(
            i,
            member(i),
            List.of(dist.bin().toString(), "node", "--config", config(i).toString()),
            env(),
            hostDir(i));
    nodes[i - 1] = p;
    return p;
  }

  /**
   * Sets how long a node may take to print its start-up line ({@link #START_DEADLINE} unless set):
   * every node of a larger fleet starts at once on the same machine.
   */
  public void startDeadline(Duration deadline) {
    this.startDeadline = deadline;
  }

  /**
   * Waits until host {@code i}'s node printed its start-up line; throws with its log tail
   * otherwise.
   */
  public void awaitUp(int i) throws InterruptedException {
    HostProcess p = nodes[i - 1];
    if (p.awaitLine("node " + member(i) + " up", startDeadline).isEmpty()) {
      throw new IllegalStateException(
          "node "
              + member(i)
              + " not up within "
              + startDeadline
              + " ("
              + (p.process().isAlive() ? "running" : "exit " + p.process().exitValue())
              + ")\n"
              + p.tail(40));
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
   * A client in the test JVM over {@code edges}: it verifies the bundle the edge serves against the
   * operator's trust file before sealing anything, and signs tokens with the app's key.
   */
  public FleetvaultClient client(List<Edge> edges, Duration requestTimeout) throws IOException {
    TrustAnchors trust = TrustAnchors.parse(Files.readAllBytes(trust()));
    Path state = run.resolve("app/bundle-state-" + clients.incrementAndGet() + ".json");
    DevTokens tokens =
        new DevTokens(
            "app",
            "systest",
            DevTokens.readPrivateKey(appKey),
            Duration.ofMinutes(10),
            Clock.systemUTC());
    return FleetvaultClient.create(
        ClientOptions.builder()
            .edges(edges)
            .appId("app")
            .tokens(tokens)
            .realm(BundleRealmSource.create(trust, state, PIN_PARAMS, Clock.systemUTC()))
            .requestTimeout(requestTimeout)
            .connectTimeout(Duration.ofSeconds(2))
            .build());
  }

  private static String hsm(String keyFile, String passFile) {
    return "  driver: soft\n  allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]\n  settings:\n"
        + "    key_file: "
        + keyFile
        + "\n    passphrase_file: "
        + passFile
        + "\n    kdf_memory_kib: 8192\n    kdf_iterations: 1\n";
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
