package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.FleetvaultNode;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.signer.SignerConfig;
import dev.fleetvault.signer.SignerServer;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A production fleet made the way an operator makes one: three data centers, each with its own
 * configuration file and its own data directory (nothing shared), {@code ceremony member} per data
 * center, a witness key, {@code ceremony combine}, the operator key, a real signer on 127.0.0.1,
 * {@code bundle trust} and {@code bundle publish}, the public files copied into each data center's
 * directory, then one {@link FleetvaultNode} per configuration. Soft driver (allowed by explicit
 * {@code fleet_bundle.allow_soft_driver} and {@code combine --allow-soft-driver}).
 */
final class CeremonyFleet implements AutoCloseable {
  static final String PIN_PARAMS = "argon2id-v1-insecure-test-only";
  final Path dir;
  final int base;
  final Path appKey;
  final Path witnesses;
  final Path ceremony;
  final Path operatorConfig;
  final Path trust;
  final Path bundle;
  Vertx signerVertx;
  SignerServer signer;
  String signerUrl;
  final List<FleetvaultNode> nodes = new ArrayList<>();

  CeremonyFleet(Path dir, int base) {
    this.dir = dir;
    this.base = base;
    this.appKey = dir.resolve("app.key.pem");
    this.witnesses = dir.resolve("witnesses");
    this.ceremony = dir.resolve("ceremony");
    this.operatorConfig = dir.resolve("operator/operator.yaml");
    this.trust = dir.resolve("operator/trust.json");
    this.bundle = dir.resolve("operator/fleet-bundle.json");
  }

  /** Data center {@code i}'s own directory (its config, data and the public files it was given). */
  Path dc(int i) {
    return dir.resolve("dc" + i);
  }

  /** Data center {@code i}'s configuration file. */
  Path config(int i) {
    return dc(i).resolve("dc" + i + ".yaml");
  }

  /** Writes the three per-data-center configurations (optionally with extra fleet_bundle lines). */
  void writeConfigs() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair app = g.generateKeyPair();
    Files.writeString(appKey, pem("PRIVATE KEY", app.getPrivate().getEncoded()));
    for (int i = 1; i <= 3; i++) {
      Files.createDirectories(dc(i));
      Files.writeString(
          dc(i).resolve("app.pub.pem"), pem("PUBLIC KEY", app.getPublic().getEncoded()));
      Files.writeString(
          dc(i).resolve("soft-passphrase.txt"), "dc" + i + " soft driver passphrase\n");
      Files.writeString(config(i), configText(i, "fleet-bundle.json", "trust.json"));
    }
  }

  /**
   * The configuration text of data center {@code i} reading {@code bundleFile} and {@code
   * trustFile}.
   */
  String configText(int i, String bundleFile, String trustFile) {
    StringBuilder y = new StringBuilder("version: 1\ndata_root: data\n");
    y.append("fleet_bundle:\n  trust: ")
        .append(trustFile)
        .append("\n  file: ")
        .append(bundleFile)
        .append(
            "\n  evidence: evidence\n  witnesses: [alice=witness-alice.pub.pem]\n  allow_soft_driver: true\n");
    y.append("fleet:\n  id: ceremony-test\n  members:\n");
    for (int m = 1; m <= 3; m++) {
      int b = base + m * 4;
      y.append("    - id: dc")
          .append(m)
          .append("\n      client: 127.0.0.1:")
          .append(b)
          .append("\n      peer: 127.0.0.1:")
          .append(b + 1)
          .append("\n      raft: 127.0.0.1:")
          .append(b + 2)
          .append("\n      cluster: 127.0.0.1:")
          .append(b + 3)
          .append('\n');
    }
    y.append("apps:\n  - id: app\n    public_keys: [app.pub.pem]\n");
    y.append(
        "limits:\n  max_message_bytes: 65536\n  per_user_per_minute: 100000\n"
            + "  per_address_per_minute: 1000000\n  request_timeout_ms: 8000\n");
    y.append("registration:\n  pin_params: [argon2id-v1-default, ")
        .append(PIN_PARAMS)
        .append("]\n");
    y.append("nodes:\n  - member: dc")
        .append(i)
        .append("\n    hsm:\n      driver: soft\n")
        .append("      allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]\n")
        .append(
            "      timeout_ms: 10000\n      settings:\n        key_file: ${data_dir}/soft-hsm.keys\n")
        .append("        passphrase_file: ${config_dir}/soft-passphrase.txt\n")
        .append("        kdf_memory_kib: 8192\n        kdf_iterations: 1\n");
    return y.toString();
  }

  /** The whole ceremony, the signer and the bundle; the public files copied to each data center. */
  void ceremonyAndBundle() throws Exception {
    List<String> combine = new ArrayList<>(List.of("ceremony", "combine", "--statements"));
    for (int i = 1; i <= 3; i++) {
      Path out = dc(i).resolve("statement");
      CliRun r =
          CliRun.run(
              "",
              "ceremony",
              "member",
              "--config",
              config(i).toString(),
              "--member",
              "dc" + i,
              "--out",
              out.toString());
      assertThat(r.exit()).as(r.out() + r).isZero();
      combine.add(out.toString());
    }
    CliRun w =
        CliRun.run("", "ceremony", "witness-key", "--name", "alice", "--out", witnesses.toString());
    assertThat(w.exit()).as(w.toString()).isZero();
    combine.addAll(
        List.of(
            "--witness",
            "alice=" + witnesses.resolve("alice.key.pem"),
            "--allow-soft-driver",
            "--out",
            ceremony.toString()));
    CliRun c = CliRun.run("", combine.toArray(new String[0]));
    assertThat(c.exit()).as(c.out() + c).isZero();

    Path op = operatorConfig.getParent();
    Files.createDirectories(op);
    Files.writeString(op.resolve("op.pass"), "operator passphrase\n");
    Files.writeString(op.resolve("signer.pass"), "signer passphrase\n");
    Files.writeString(
        operatorConfig, "key_label: operator.p256\nhsm:\n" + hsm("operator.softkeys", "op.pass"));
    CliRun k =
        CliRun.run(
            "",
            "bundle",
            "operator-key",
            "--operator-config",
            operatorConfig.toString(),
            "--out",
            op.resolve("operator.pub.pem").toString());
    assertThat(k.exit()).as(k.toString()).isZero();
    Path signerYaml = op.resolve("signer.yaml");
    Files.writeString(
        signerYaml,
        "listen: {host: 127.0.0.1, port: 0}\ndata_dir: signer-data\n"
            + "origin: test.fleetvault.dev/signer\nnamespaces: [fleetvault.fleet_keys.v1]\nkey_label: signer.ed25519\n"
            + "hsm:\n"
            + hsm("signer.softkeys", "signer.pass")
            + "operator:\n  public_key_file: operator.pub.pem\n");
    signerVertx = Vertx.vertx();
    signer = SignerServer.startBlocking(signerVertx, SignerConfig.load(signerYaml));
    signerUrl = "http://127.0.0.1:" + signer.port();
    CliRun t =
        CliRun.run(
            "",
            "bundle",
            "trust",
            "--signer",
            signerUrl,
            "--operator-pub",
            op.resolve("operator.pub.pem").toString(),
            "--out",
            trust.toString());
    assertThat(t.exit()).as(t.toString()).isZero();
    CliRun p =
        CliRun.run(
            "",
            "bundle",
            "publish",
            "--signer",
            signerUrl,
            "--artifact",
            ceremony.resolve("fleet-artifact.json").toString(),
            "--operator-config",
            operatorConfig.toString(),
            "--trust",
            trust.toString(),
            "--out",
            bundle.toString());
    assertThat(p.exit()).as(p.toString()).isZero();
    for (int i = 1; i <= 3; i++) {
      Files.copy(trust, dc(i).resolve("trust.json"));
      Files.copy(bundle, dc(i).resolve("fleet-bundle.json"));
      Files.copy(witnesses.resolve("alice.pub.pem"), dc(i).resolve("witness-alice.pub.pem"));
      copyTree(ceremony.resolve("evidence"), dc(i).resolve("evidence"));
    }
  }

  /** Starts the three nodes (in parallel: each waits for a quorum). */
  void startNodes() throws Exception {
    List<CompletableFuture<FleetvaultNode>> starting = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      NodeConfig cfg = NodeConfig.load(config(i));
      String id = "dc" + i;
      starting.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return FleetvaultNode.startBlocking(cfg, id);
                } catch (Exception e) {
                  throw new IllegalStateException("node " + id + " did not start: " + e, e);
                }
              }));
    }
    for (CompletableFuture<FleetvaultNode> f : starting) {
      nodes.add(f.get(5, TimeUnit.MINUTES));
    }
  }

  /**
   * The CLI options of a client of this fleet (edges from dc1's config, bundle verified with the
   * trust file).
   */
  List<String> clientArgs(Path state) {
    return List.of(
        "--config",
        config(1).toString(),
        "--trust",
        trust.toString(),
        "--bundle-state",
        state.toString(),
        "--app-key",
        appKey.toString(),
        "--pin-params",
        PIN_PARAMS);
  }

  static String hsm(String keyFile, String passFile) {
    return "  driver: soft\n  allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]\n  settings:\n"
        + "    key_file: "
        + keyFile
        + "\n    passphrase_file: "
        + passFile
        + "\n    kdf_memory_kib: 8192\n    kdf_iterations: 1\n";
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (var s = Files.walk(from)) {
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

  @Override
  public void close() throws Exception {
    for (FleetvaultNode n : nodes) {
      n.close();
    }
    if (signer != null) {
      signer.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      signerVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
