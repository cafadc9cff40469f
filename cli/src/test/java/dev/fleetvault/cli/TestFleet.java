package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.LocalBundles;
import dev.fleetvault.cli.impl.LocalRealm;
import dev.fleetvault.cli.tokens.DevTokens;
import dev.fleetvault.client.ClientOptions;
import dev.fleetvault.client.Edge;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.RealmSource;
import dev.fleetvault.client.TokenSupplier;
import dev.fleetvault.client.TransportKind;
import dev.fleetvault.gateway.LocalFleet;
import dev.fleetvault.gateway.config.NodeConfig;
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
import java.util.List;

/**
 * A real three-member fleet (dc1, dc2, dc3) in this JVM for the CLI and SDK tests: a configuration
 * written into a test directory with ports {@code base+1..3} (client), {@code +11..13} (peer),
 * {@code +21..23} (raft), {@code +31..33} (cluster) inside the cli range 27000-28999, a fresh app
 * key pair, the soft HSM driver and data under {@code dir/data}.
 */
final class TestFleet implements AutoCloseable {
  static final String APP = "test-app";

  /**
   * Tests stretch PINs with the cheap parameter set; one test per transport path uses the real one.
   */
  static final String TEST_PIN_PARAMS =
      dev.fleetvault.protocol.pin.Argon2idParameters.ARGON2ID_V1_INSECURE_TEST_ONLY.id();

  private final Path dir;
  private final Path configFile;
  private final Path appKeyFile;
  private final DevTokens tokens;
  private final int basePort;
  private NodeConfig config;
  private LocalFleet fleet;
  private LocalBundles bundles;

  private TestFleet(Path dir, Path configFile, Path appKeyFile, DevTokens tokens, int basePort) {
    this.basePort = basePort;
    this.dir = dir;
    this.configFile = configFile;
    this.appKeyFile = appKeyFile;
    this.tokens = tokens;
  }

  /** Writes the configuration under {@code dir} without starting anything. */
  static TestFleet configure(Path dir, int basePort) throws Exception {
    return configure(dir, basePort, false);
  }

  /**
   * As {@link #configure(Path, int)}; with {@code passkeys} the app allows passkeys for rp id
   * {@code localhost} from the origin of member dc1's edge only ({@code
   * http://localhost:<base+1>}).
   */
  static TestFleet configure(Path dir, int basePort, boolean passkeys) throws Exception {
    Files.createDirectories(dir);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair app = g.generateKeyPair();
    Path pub = dir.resolve("app.pub.pem");
    Path key = dir.resolve("app.key.pem");
    Files.writeString(
        pub, pem("PUBLIC KEY", app.getPublic().getEncoded()), StandardCharsets.US_ASCII);
    Files.writeString(
        key, pem("PRIVATE KEY", app.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
    Files.writeString(
        dir.resolve("soft-passphrase.txt"),
        "test passphrase for the soft driver\n",
        StandardCharsets.US_ASCII);
    // The local signer's (and operator's) soft-HSM passphrase, where 'fleetvault up' looks for it.
    Files.writeString(
        dir.resolve(LocalBundles.DEV_PASSPHRASE),
        "test passphrase for the local signer\n",
        StandardCharsets.US_ASCII);
    StringBuilder y = new StringBuilder();
    y.append("version: 1\ndevelopment: true\n");
    y.append("data_root: data\n");
    y.append("fleet:\n  id: test\n  members:\n");
    for (int i = 1; i <= 3; i++) {
      y.append("    - id: dc")
          .append(i)
          .append('\n')
          .append("      client: 127.0.0.1:")
          .append(basePort + i)
          .append('\n')
          .append("      peer: 127.0.0.1:")
          .append(basePort + 10 + i)
          .append('\n')
          .append("      raft: 127.0.0.1:")
          .append(basePort + 20 + i)
          .append('\n')
          .append("      cluster: 127.0.0.1:")
          .append(basePort + 30 + i)
          .append('\n');
    }
    y.append("apps:\n  - id: ").append(APP).append("\n    public_keys: [app.pub.pem]\n");
    if (passkeys) {
      y.append("    passkey:\n      rp_id: localhost\n      origins: [http://localhost:")
          .append(basePort + 1)
          .append("]\n");
    } else {
      y.append("    passkey:\n      rp_id: app.example\n      origins: [https://app.example]\n");
    }
    y.append(
        "limits:\n  max_message_bytes: 65536\n  per_user_per_minute: 100000\n"
            + "  per_address_per_minute: 1000000\n  request_timeout_ms: 5000\n");
    y.append(
        "registration:\n  pin_params: [argon2id-v1-default, argon2id-v1-insecure-test-only]\n");
    y.append("nodes:\n");
    for (int i = 1; i <= 3; i++) {
      y.append("  - member: dc")
          .append(i)
          .append('\n')
          .append("    hsm:\n      driver: soft\n")
          .append("      allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]\n")
          .append("      timeout_ms: 10000\n")
          .append("      settings:\n")
          .append("        key_file: ${data_dir}/soft-hsm.keys\n")
          .append("        passphrase_file: ${config_dir}/soft-passphrase.txt\n")
          .append("        kdf_memory_kib: 8192\n")
          .append("        kdf_iterations: 1\n");
    }
    Path cfg = dir.resolve("fleet.yaml");
    Files.writeString(cfg, y.toString(), StandardCharsets.UTF_8);
    DevTokens tokens =
        new DevTokens(APP, "test", app.getPrivate(), Duration.ofMinutes(5), Clock.systemUTC());
    return new TestFleet(dir, cfg, key, tokens, basePort);
  }

  /** Writes the configuration and starts all three nodes. */
  static TestFleet start(Path dir, int basePort) throws Exception {
    return start(dir, basePort, false);
  }

  /**
   * Writes the configuration (passkeys allowed for dc1's origin when {@code passkeys}) and starts
   * all three nodes.
   */
  static TestFleet start(Path dir, int basePort, boolean passkeys) throws Exception {
    TestFleet f = configure(dir, basePort, passkeys);
    f.startAll();
    return f;
  }

  /** Starts every node (again) on the same data. */
  void startAll() throws Exception {
    config = NodeConfig.load(configFile);
    fleet = LocalFleet.start(config);
    try {
      bundles = LocalBundles.start(config, fleet, 0);
    } catch (Exception e) {
      fleet.close();
      fleet = null;
      throw e;
    }
  }

  /** The running nodes. */
  LocalFleet localFleet() {
    return fleet;
  }

  /** The local signer and the fleet's bundles (as {@code fleetvault up} runs them). */
  LocalBundles bundles() {
    return bundles;
  }

  /** Stops every node; the data stays. */
  void stopAll() throws Exception {
    if (bundles != null) {
      bundles.close();
      bundles = null;
    }
    if (fleet != null) {
      fleet.close();
      fleet = null;
    }
  }

  void stopNode(String member) throws Exception {
    fleet.stopNode(member);
  }

  void startNode(String member) throws Exception {
    fleet.startNode(member);
  }

  /** A port of this fleet's block that nothing listens on (an edge that is down for good). */
  int unusedPort() {
    return basePort + Ports.FLEET_BLOCK - 1;
  }

  Path configFile() {
    return configFile;
  }

  Path appKeyFile() {
    return appKeyFile;
  }

  Path dataRoot() {
    return dir.resolve("data");
  }

  NodeConfig config() throws IOException {
    return config != null ? config : NodeConfig.load(configFile);
  }

  DevTokens tokens() {
    return tokens;
  }

  /** The client edges in member order. */
  List<Edge> edges() throws IOException {
    List<Edge> out = new ArrayList<>();
    config().members().forEach(m -> out.add(new Edge(m.client().host(), m.client().port())));
    return out;
  }

  /** A client over {@code transport} using every edge (dc1 first). */
  FleetvaultClient client(TransportKind transport) throws IOException {
    return client(transport, tokens);
  }

  /** A client with its own token supplier. */
  FleetvaultClient client(TransportKind transport, TokenSupplier tokenSupplier) throws IOException {
    return client(transport, tokenSupplier, TEST_PIN_PARAMS);
  }

  /** A client that stretches PINs with {@code pinParams}. */
  FleetvaultClient client(TransportKind transport, TokenSupplier tokenSupplier, String pinParams)
      throws IOException {
    return FleetvaultClient.create(
        ClientOptions.builder()
            .edges(edges())
            .appId(APP)
            .transport(transport)
            .tokens(tokenSupplier)
            .realm(RealmSource.pinned(LocalRealm.read(config(), pinParams)))
            .build());
  }

  /** A client over {@code transport} that knows only {@code edges}, with its own call deadline. */
  FleetvaultClient client(
      List<Edge> edges, TransportKind transport, java.time.Duration requestTimeout)
      throws IOException {
    return FleetvaultClient.create(
        ClientOptions.builder()
            .edges(edges)
            .appId(APP)
            .transport(transport)
            .tokens(tokens)
            .requestTimeout(requestTimeout)
            .realm(RealmSource.pinned(LocalRealm.read(config(), TEST_PIN_PARAMS)))
            .build());
  }

  /** The CLI options that point a command at this fleet. */
  List<String> cliArgs() {
    return List.of(
        "--config",
        configFile.toString(),
        "--app-key",
        appKeyFile.toString(),
        "--pin-params",
        TEST_PIN_PARAMS);
  }

  @Override
  public void close() throws Exception {
    stopAll();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
