package dev.fleetvault.gateway.support;

import dev.fleetvault.gateway.FleetDirectory;
import dev.fleetvault.gateway.LocalFleet;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.protocol.flow.MemberKey;
import dev.fleetvault.protocol.flow.RealmConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real fleet (3 members unless told otherwise) in this JVM for tests: YAML written into a temp
 * dir (ports from the gateway range, soft driver with cheap KDF settings), started with {@link
 * LocalFleet}; plus app tokens signed with the development app key and the client's realm view.
 */
public final class TestFleet implements AutoCloseable {
  /** Pin parameters for tests (cheap Argon2id). */
  public static final String TEST_PIN_PARAMS = "argon2id-v1-insecure-test-only";

  /** The test app's WebAuthn relying party (apps[].passkey). */
  public static final String PASSKEY_RP_ID = "app.example";

  public static final String PASSKEY_ORIGIN = "https://app.example";

  /** The registration section of test configurations: the test PIN parameters allowed. */
  public static final String TEST_REGISTRATION =
      "registration:\n  max_guess_limit: 100\n"
          + "  pin_params: [argon2id-v1-default, "
          + TEST_PIN_PARAMS
          + "]\n";

  private final Path dir;
  private final Path yaml;
  private final LocalFleet fleet;
  private final Vertx tokenVertx = Vertx.vertx();
  private final JWTAuth signer;

  private TestFleet(Path dir, Path yaml, LocalFleet fleet) throws IOException {
    this.dir = dir;
    this.yaml = yaml;
    this.fleet = fleet;
    String pem =
        Files.readString(
            repo().resolve("config/dev-app-jwt.DEVELOPMENT-ONLY.key.pem"),
            StandardCharsets.US_ASCII);
    this.signer =
        JWTAuth.create(
            tokenVertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(pem)));
  }

  /** The repository root. */
  public static Path repo() {
    String root = System.getProperty("fleetvault.root");
    Path p = root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    return p.toAbsolutePath().normalize();
  }

  /** Writes a 3-member config under {@code dir} and returns its path. */
  public static Path writeConfig(Path dir, int basePort, String extraLimits) throws IOException {
    return writeConfig(dir, basePort, extraLimits, 3, TEST_REGISTRATION);
  }

  /**
   * Writes an {@code n}-member config under {@code dir} with the given {@code registration} section
   * (empty: absent, i.e. production defaults) and returns its path.
   */
  public static Path writeConfig(
      Path dir, int basePort, String extraLimits, int n, String registration) throws IOException {
    return writeConfig(dir, basePort, extraLimits, n, registration, DEFAULT_REQUEST_TIMEOUT_MS);
  }

  /** The test fleets' {@code limits.request_timeout_ms}. */
  public static final int DEFAULT_REQUEST_TIMEOUT_MS = 8000;

  /**
   * As {@link #writeConfig(Path, int, String, int, String)}, with {@code limits.request_timeout_ms}
   * = {@code requestTimeoutMs}.
   */
  public static Path writeConfig(
      Path dir, int basePort, String extraLimits, int n, String registration, int requestTimeoutMs)
      throws IOException {
    Files.createDirectories(dir);
    Path cfgDir = repo().resolve("config");
    StringBuilder y = new StringBuilder();
    y.append(
        "version: 1\ndevelopment: true\ndata_root: data\nbundle_file: bundle.json\n"
            + "fleet:\n  id: test\n  members:\n");
    for (int i = 0; i < n; i++) {
      int b = basePort + i * 4;
      y.append("    - id: dc")
          .append(i + 1)
          .append('\n')
          .append("      client: 127.0.0.1:")
          .append(b)
          .append('\n')
          .append("      peer: 127.0.0.1:")
          .append(b + 1)
          .append('\n')
          .append("      raft: 127.0.0.1:")
          .append(b + 2)
          .append('\n')
          .append("      cluster: 127.0.0.1:")
          .append(b + 3)
          .append('\n')
          .append("      admin: 127.0.0.1:0\n");
    }
    y.append("apps:\n  - id: dev-app\n    public_keys: [")
        .append(cfgDir.resolve("dev-app-jwt.DEVELOPMENT-ONLY.pub.pem"))
        .append("]\n")
        .append("    passkey:\n      rp_id: ")
        .append(PASSKEY_RP_ID)
        .append("\n      origins: [")
        .append(PASSKEY_ORIGIN)
        .append("]\n");
    y.append("limits:\n  max_message_bytes: 65536\n  request_timeout_ms: ")
        .append(requestTimeoutMs)
        .append('\n')
        .append(
            extraLimits == null
                ? "  per_user_per_minute: 100000\n  per_address_per_minute: 1000000\n"
                : extraLimits);
    y.append(registration);
    y.append("nodes:\n");
    for (int i = 1; i <= n; i++) {
      y.append("  - member: dc")
          .append(i)
          .append('\n')
          .append("    hsm:\n      driver: soft\n      timeout_ms: 10000\n      settings:\n")
          .append("        key_file: ${data_dir}/soft.keys\n")
          .append("        passphrase_file: ")
          .append(cfgDir.resolve("dev-soft-hsm-passphrase.DEVELOPMENT-ONLY.txt"))
          .append('\n')
          .append("        kdf_memory_kib: 8192\n        kdf_iterations: 1\n");
    }
    Path yaml = dir.resolve("fleet.yaml");
    Files.writeString(yaml, y.toString(), StandardCharsets.UTF_8);
    return yaml;
  }

  /** Starts a fleet in {@code dir}. */
  public static TestFleet start(Path dir) throws Exception {
    return start(dir, null);
  }

  /** Starts a fleet in {@code dir} with custom {@code limits} lines (indented two spaces). */
  public static TestFleet start(Path dir, String extraLimits) throws Exception {
    Path yaml = writeConfig(dir, Ports.freeBlock(12), extraLimits);
    return new TestFleet(dir, yaml, LocalFleet.start(yaml));
  }

  /**
   * Starts an {@code n}-member fleet in {@code dir} with the given {@code registration} section
   * ({@link #TEST_REGISTRATION}, or "" for the production defaults).
   */
  public static TestFleet start(Path dir, int n, String registration) throws Exception {
    return start(dir, n, registration, DEFAULT_REQUEST_TIMEOUT_MS);
  }

  /**
   * As {@link #start(Path, int, String)}, with {@code limits.request_timeout_ms} = {@code
   * requestTimeoutMs}.
   */
  public static TestFleet start(Path dir, int n, String registration, int requestTimeoutMs)
      throws Exception {
    Path yaml = writeConfig(dir, Ports.freeBlock(4 * n), null, n, registration, requestTimeoutMs);
    return new TestFleet(dir, yaml, LocalFleet.start(yaml));
  }

  /** The running fleet. */
  /**
   * Guess evaluations answered by every member of this fleet so far (the members' own node
   * metrics).
   */
  public long evaluations() {
    long sum = 0;
    for (var m : config().members()) {
      sum += fleet().node(m.id()).metrics().evaluations();
    }
    return sum;
  }

  /** A gRPC transport to edge number {@code edge} (0-based) of this fleet. */
  public VaultTransport grpc(Vertx vertx, int edge) {
    LocalFleet.Edge e = fleet().edges().get(edge);
    return new GrpcTransport(vertx, e.host(), e.port());
  }

  public LocalFleet fleet() {
    return fleet;
  }

  /** The configuration. */
  public NodeConfig config() {
    return fleet.config();
  }

  /** The temp directory (config and data). */
  public Path dir() {
    return dir;
  }

  /** The YAML file. */
  public Path yaml() {
    return yaml;
  }

  /** A valid token for {@code user} (5 minutes). */
  public String token(String user) {
    return signer.generateToken(
        new JsonObject().put("sub", user).put("iss", "dev-app"),
        new JWTOptions()
            .setAlgorithm("ES256")
            .setExpiresInSeconds(300)
            .setAudience(java.util.List.of("test")));
  }

  /** A token with arbitrary claims (no automatic exp unless given). */
  public String tokenWithClaims(JsonObject claims) {
    return signer.generateToken(
        claims, new JWTOptions().setAlgorithm("ES256").setNoTimestamp(true));
  }

  /** The client's view of the realm, from the published member keys. */
  public RealmConfig realm() throws IOException {
    FleetDirectory d = new FleetDirectory(config().fleetDir());
    List<MemberKey> keys = new ArrayList<>();
    for (var m : config().members()) {
      FleetDirectory.Entry e = d.read(m.id()).orElseThrow();
      keys.add(MemberKey.of(e.index(), e.hpkePublic()));
    }
    return RealmConfig.of(config().fleetId(), config().threshold(), keys, TEST_PIN_PARAMS);
  }

  @Override
  public void close() throws Exception {
    try {
      fleet.close();
    } finally {
      tokenVertx.close();
    }
  }
}
