package dev.fleetvault.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.signer.SignerClient;
import dev.fleetvault.signer.SignerConfig;
import dev.fleetvault.signer.SignerServer;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bundle/audit commands against a real signer on 127.0.0.1 with soft-HSM keys for signer and
 * operator.
 */
class BundleCliTest {
  @TempDir Path dir;
  Vertx vertx;
  SignerServer server;
  String url;
  Path trust;
  Path opConfig;

  record Run(int code, String out, String err) {}

  static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler(
        (ex, c, p) -> {
          if (ex instanceof dev.fleetvault.cli.CliException ce) {
            c.getErr().println(ce.getMessage());
            return ce.exitCode();
          }
          throw ex;
        });
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static String hsmYaml(String keyFile, String passFile) {
    return "  driver: soft\n  allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]\n  settings:\n"
        + "    key_file: "
        + keyFile
        + "\n    passphrase_file: "
        + passFile
        + "\n    kdf_memory_kib: 8192\n    kdf_iterations: 1\n";
  }

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(dir.resolve("op.pass"), "operator pass\n");
    Files.writeString(dir.resolve("signer.pass"), "signer pass\n");
    opConfig = dir.resolve("operator.yaml");
    Files.writeString(
        opConfig, "key_label: operator.p256\nhsm:\n" + hsmYaml("operator.softkeys", "op.pass"));
    Run k =
        run(
            new BundleCommand(),
            "operator-key",
            "--operator-config",
            opConfig.toString(),
            "--out",
            dir.resolve("operator.pub").toString());
    assertThat(k.code()).as(k.err()).isZero();
    Path cfg = dir.resolve("signer.yaml");
    Files.writeString(
        cfg,
        "listen: {host: 127.0.0.1, port: 0}\ndata_dir: signer-data\norigin: test.fleetvault.dev/signer\n"
            + "namespaces: [fleetvault.fleet_keys.v1]\nkey_label: signer.ed25519\nhsm:\n"
            + hsmYaml("signer.softkeys", "signer.pass")
            + "operator:\n  public_key_file: operator.pub\n");
    vertx = Vertx.vertx();
    server = SignerServer.startBlocking(vertx, SignerConfig.load(cfg));
    url = "http://127.0.0.1:" + server.port();
    trust = dir.resolve("trust.json");
    Run t =
        run(
            new BundleCommand(),
            "trust",
            "--signer",
            url,
            "--operator-pub",
            dir.resolve("operator.pub").toString(),
            "--out",
            trust.toString());
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).contains("signer vkey: test.fleetvault.dev/signer+");
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  static byte[] point() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return Crypto.uncompressed((ECPublicKey) g.generateKeyPair().getPublic());
  }

  Path artifact(long epoch) throws Exception {
    List<FleetMember> ms = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      ms.add(new FleetMember("dc" + i, "dc" + i, point(), point(), FleetMember.ROLE_MEMBER));
    }
    Instant now = Instant.now();
    FleetArtifact a =
        new FleetArtifact(
            FleetArtifact.NAMESPACE,
            "local",
            epoch,
            2,
            ms,
            Instant.ofEpochSecond(now.getEpochSecond() - 3600),
            Instant.ofEpochSecond(now.getEpochSecond() + 86400),
            new byte[0]);
    Path p = dir.resolve("artifact-" + epoch + ".json");
    Files.write(p, a.toCanonicalJson());
    return p;
  }

  @Test
  void publishVerifyAudit_honestFleet_succeedsAndFollowsRotation() throws Exception {
    Path state = dir.resolve("state.json");
    Run p1 =
        run(
            new BundleCommand(),
            "publish",
            "--signer",
            url,
            "--artifact",
            artifact(1).toString(),
            "--operator-config",
            opConfig.toString(),
            "--trust",
            trust.toString(),
            "--out",
            dir.resolve("b1.json").toString());
    assertThat(p1.code()).as(p1.err()).isZero();
    Run v1 =
        run(
            new BundleCommand(),
            "verify",
            "--signer",
            url,
            "--trust",
            trust.toString(),
            "--state",
            state.toString());
    assertThat(v1.code()).as(v1.err()).isZero();
    assertThat(v1.out()).contains("valid: fleet local epoch 1");
    Run p2 =
        run(
            new BundleCommand(),
            "publish",
            "--signer",
            url,
            "--artifact",
            artifact(2).toString(),
            "--operator-config",
            opConfig.toString(),
            "--trust",
            trust.toString());
    assertThat(p2.code()).as(p2.err()).isZero();
    Run v2 =
        run(
            new BundleCommand(),
            "verify",
            "--signer",
            url,
            "--trust",
            trust.toString(),
            "--state",
            state.toString());
    assertThat(v2.code()).as(v2.err()).isZero();
    assertThat(v2.out()).contains("epoch 2");
    // the old bundle file, replayed at a client that has seen epoch 2
    Run old =
        run(
            new BundleCommand(),
            "verify",
            "--file",
            dir.resolve("b1.json").toString(),
            "--trust",
            trust.toString(),
            "--state",
            state.toString());
    assertThat(old.code()).isEqualTo(1);
    Run show = run(new BundleCommand(), "show", "--file", dir.resolve("b1.json").toString());
    assertThat(show.code()).isZero();
    assertThat(show.out()).contains("fleet:       local  epoch 1  threshold 2 of 3");
    Run audit = run(new AuditCommand(), "--signer", url, "--trust", trust.toString());
    assertThat(audit.code()).as(audit.err()).isZero();
    assertThat(audit.out())
        .contains("#0 fleetvault.fleet_keys.v1 epoch 1")
        .contains("#1 fleetvault.fleet_keys.v1 epoch 2")
        .contains("change: epoch 1 -> 2: member dc1 HPKE key")
        .contains("consistent");
  }

  @Test
  void verifyAndAudit_tamperedFleet_fail() throws Exception {
    Run p1 =
        run(
            new BundleCommand(),
            "publish",
            "--signer",
            url,
            "--artifact",
            artifact(1).toString(),
            "--operator-config",
            opConfig.toString(),
            "--trust",
            trust.toString(),
            "--out",
            dir.resolve("b1.json").toString());
    assertThat(p1.code()).as(p1.err()).isZero();
    // one byte of the artifact changed inside the bundle file
    Bundle b = Bundle.parse(Files.readAllBytes(dir.resolve("b1.json")));
    byte[] art = b.artifact();
    String s = new String(art, StandardCharsets.UTF_8);
    art[s.indexOf("\"threshold\":2") + "\"threshold\":".length()] = '3';
    Bundle tampered =
        new Bundle(
            art,
            b.message(),
            b.signerSignature(),
            b.operatorSignature(),
            b.logIndex(),
            b.inclusionProof(),
            b.checkpoint());
    Files.write(dir.resolve("tampered.json"), tampered.toJson());
    Run v =
        run(
            new BundleCommand(),
            "verify",
            "--file",
            dir.resolve("tampered.json").toString(),
            "--trust",
            trust.toString(),
            "--no-state");
    assertThat(v.code()).isEqualTo(1);
    assertThat(v.err()).contains("invalid: DIGEST_MISMATCH");
    // an entry the operator never published an artifact for
    try (dev.fleetvault.signer.HsmKey k = BundleCommand.OperatorKeys.open(opConfig, false)) {
      new SignerClient(URI.create(url))
          .publish(
              FleetArtifact.NAMESPACE,
              2,
              Crypto.sha256(new byte[] {9}),
              dev.fleetvault.signer.SignerService.hsmSigner(k));
    }
    Run audit = run(new AuditCommand(), "--signer", url, "--trust", trust.toString());
    assertThat(audit.code()).isEqualTo(1);
    assertThat(audit.err())
        .contains("INCONSISTENT: entry 1")
        .contains("matches no artifact the operator published");
    // with the artifact published out of band the same digest is accounted for
    Files.createDirectories(dir.resolve("published"));
    Run audit2 =
        run(
            new AuditCommand(),
            "--signer",
            url,
            "--trust",
            trust.toString(),
            "--artifacts",
            dir.resolve("published").toString());
    assertThat(audit2.code()).isEqualTo(1);
  }

  /**
   * A minimal gRPC edge answering Status with the given validation bundle (the gateway's hook is
   * not wired yet).
   */
  io.vertx.core.http.HttpServer edge(byte[] validationBundle) throws Exception {
    io.vertx.grpc.server.GrpcServer grpc = io.vertx.grpc.server.GrpcServer.server(vertx);
    grpc.callHandler(
        dev.fleetvault.protocol.wire.VaultGrpcService.Status,
        req ->
            req.handler(
                q ->
                    req.response()
                        .end(
                            dev.fleetvault.protocol.wire.StatusResponse.newBuilder()
                                .setVersion(1)
                                .setSuite(1)
                                .setFleetId("local")
                                .setMembers(3)
                                .setThreshold(2)
                                .setValidationBundle(
                                    com.google.protobuf.ByteString.copyFrom(validationBundle))
                                .build())));
    return vertx
        .createHttpServer()
        .requestHandler(grpc)
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get();
  }

  @Test
  void verifyEdge_bundleFromAnEdge_validAndTamperedDetected() throws Exception {
    Run p1 =
        run(
            new BundleCommand(),
            "publish",
            "--signer",
            url,
            "--artifact",
            artifact(1).toString(),
            "--operator-config",
            opConfig.toString(),
            "--trust",
            trust.toString());
    assertThat(p1.code()).as(p1.err()).isZero();
    byte[] env = new SignerClient(URI.create(url)).envelope(FleetArtifact.NAMESPACE, 0);
    io.vertx.core.http.HttpServer good = edge(env);
    Run v =
        run(
            new BundleCommand(),
            "verify",
            "--edge",
            "127.0.0.1:" + good.actualPort(),
            "--trust",
            trust.toString(),
            "--no-state");
    assertThat(v.code()).as(v.err()).isZero();
    assertThat(v.out()).contains("valid: fleet local epoch 1");
    String s = new String(env, StandardCharsets.UTF_8);
    String sig =
        s.substring(
            s.indexOf("\"signer_signature\":\"") + 20, s.indexOf("\"signer_signature\":\"") + 24);
    String forged =
        s.replace(
            "\"signer_signature\":\"" + sig,
            "\"signer_signature\":\"" + (sig.startsWith("A") ? "B" : "A") + sig.substring(1));
    io.vertx.core.http.HttpServer bad = edge(forged.getBytes(StandardCharsets.UTF_8));
    Run v2 =
        run(
            new BundleCommand(),
            "verify",
            "--edge",
            "127.0.0.1:" + bad.actualPort(),
            "--trust",
            trust.toString(),
            "--no-state");
    assertThat(v2.code()).isEqualTo(1);
    assertThat(v2.err()).contains("invalid: SIGNER_SIGNATURE_INVALID");
    good.close();
    bad.close();
  }
}
