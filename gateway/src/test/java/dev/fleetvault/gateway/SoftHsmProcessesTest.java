package dev.fleetvault.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.support.EdgeError;
import dev.fleetvault.gateway.support.GrpcTransport;
import dev.fleetvault.gateway.support.Ports;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.gateway.support.VaultTransport;
import dev.fleetvault.protocol.flow.MemberKey;
import dev.fleetvault.protocol.flow.RealmConfig;
import dev.fleetvault.protocol.flow.RecoverResult;
import dev.fleetvault.protocol.flow.RegisterResult;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three separate node processes on SoftHSM2 from {@code config/softhsm-3dc/} (ports and data moved
 * into the test's range and temp dir; as a development fleet on loopback, peers from the
 * development fleet directory instead of the ceremony's bundle): kill -9 of one during a recovery
 * loop, later recoveries succeed; restarted, it rejoins and serves.
 */
@Tag("process")
class SoftHsmProcessesTest {
  private static final Logger LOG = LoggerFactory.getLogger(SoftHsmProcessesTest.class);
  static final Path LIB = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  @TempDir Path dir;
  final Process[] procs = new Process[3];
  Vertx vertx;

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : procs) {
      if (p != null) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  static void requireSoftHsm() {
    boolean present = Files.exists(LIB) && Files.isExecutable(Path.of("/usr/bin/softhsm2-util"));
    boolean required =
        "true".equals(System.getenv("CI")) || "1".equals(System.getenv("FLEETVAULT_REQUIRE_HSM"));
    if (!present && required) {
      fail("SoftHSM2 is required (CI / FLEETVAULT_REQUIRE_HSM) but " + LIB + " is missing");
    }
    Assumptions.assumeTrue(
        present,
        "SKIPPED LOUDLY: SoftHSM2 not installed ("
            + LIB
            + "); install softhsm2 to run the three-process test");
  }

  private Path writeConfig(int i, int base) throws Exception {
    String text = Files.readString(TestFleet.repo().resolve("config/softhsm-3dc/dc" + i + ".yaml"));
    for (int m = 1; m <= 3; m++) {
      for (int k = 0; k < 4; k++) {
        text = text.replace("127.0.0.1:75" + k + m, "127.0.0.1:" + (base + (m - 1) * 4 + k));
      }
    }
    // the nodes' peers come from the development fleet directory here (this module has no
    // ceremony CLI and no signer; cli/.../CeremonyFleetTest starts a fleet from a ceremony)
    int from = text.indexOf("fleet_bundle:");
    int to = text.indexOf("\nfleet:\n");
    assertThat(from).isPositive();
    text = text.substring(0, from) + "development: true\n" + text.substring(to + 1);
    // this test's client stretches PINs with the cheap test parameters: allow them here only
    text =
        text.replace(
            "pin_params: [argon2id-v1-default]",
            "pin_params: [argon2id-v1-default, " + TestFleet.TEST_PIN_PARAMS + "]");
    text =
        text.replace(
            "../dev-app-jwt.DEVELOPMENT-ONLY.pub.pem",
            TestFleet.repo().resolve("config/dev-app-jwt.DEVELOPMENT-ONLY.pub.pem").toString());
    Path f = dir.resolve("dc" + i + ".yaml");
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private void initToken(int i) throws Exception {
    Path tokens = dir.resolve("hsm-dc" + i + "/tokens");
    Files.createDirectories(tokens);
    Path conf = dir.resolve("hsm-dc" + i + "/softhsm2.conf");
    Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n");
    ProcessBuilder pb =
        new ProcessBuilder(
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                "fleetvault-dc" + i,
                "--so-pin",
                "0000",
                "--pin",
                "1234")
            .redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isEqualTo(0);
  }

  private CompletableFuture<String> launch(int i, Path config) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "--add-exports",
                "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
                "-Dfleetvault.buildDir=" + dir.resolve("log-dc" + i),
                "-cp",
                System.getProperty("java.class.path"),
                NodeMain.class.getName(),
                "--config",
                config.toString(),
                "--data",
                dir.resolve("data").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("SOFTHSM2_CONF", dir.resolve("hsm-dc" + i + "/softhsm2.conf").toString());
    env.put("FLEETVAULT_DC" + i + "_PIN", "1234");
    Process p = pb.start();
    procs[i - 1] = p;
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  if (line.startsWith("READY ")) {
                    ready.complete(line);
                  } else if (line.contains("ERROR") || line.contains("failed to start")) {
                    LOG.info("dc{}: {}", i, line);
                  }
                }
                ready.completeExceptionally(
                    new AssertionError("dc" + i + " exited: " + p.waitFor()));
              } catch (Exception e) {
                ready.completeExceptionally(e);
              }
            },
            "node-dc" + i + "-out");
    t.setDaemon(true);
    t.start();
    return ready;
  }

  @Test
  void threeProcesses_killOneDuringRecoveries_laterRecoveriesSucceedAndItRejoins()
      throws Exception {
    requireSoftHsm();
    int base = Ports.freeBlock(12);
    Path[] configs = new Path[3];
    List<CompletableFuture<String>> ready = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      initToken(i);
      configs[i - 1] = writeConfig(i, base);
    }
    for (int i = 1; i <= 3; i++) {
      ready.add(launch(i, configs[i - 1]));
    }
    for (CompletableFuture<String> r : ready) {
      LOG.info("-- {}", r.get(3, TimeUnit.MINUTES));
    }
    NodeConfig cfg = NodeConfig.load(configs[0], dir.resolve("data"));
    vertx = Vertx.vertx();
    TestFleetTokens tokens = new TestFleetTokens();
    RealmConfig realm = realm(cfg);
    List<VaultTransport> edges = new ArrayList<>();
    for (var m : cfg.members()) {
      edges.add(new GrpcTransport(vertx, m.client().host(), m.client().port()));
    }

    RegisterResult reg = null;
    for (int i = 0; i < 60 && reg == null; i++) {
      try {
        reg =
            new TestClient(edges.get(0), realm, tokens::token)
                .register("hsm-user", "1593", "hsm secret".getBytes(StandardCharsets.UTF_8), 10);
      } catch (EdgeError e) {
        LOG.info("-- waiting for a quorum: {}", e.getMessage());
        Thread.sleep(1000);
      }
    }
    assertThat(reg).isInstanceOf(RegisterResult.Registered.class);

    int recovered = 0;
    for (int round = 0; round < 8; round++) {
      if (round == 3) {
        LOG.info("-- kill -9 dc2");
        procs[1].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      RecoverResult r = recoverWithFailover(edges, round, realm, tokens);
      assertThat(r).as("round %d", round).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(((RecoverResult.Recovered) r).secret().copy())
          .isEqualTo("hsm secret".getBytes(StandardCharsets.UTF_8));
      recovered++;
    }
    assertThat(recovered).isEqualTo(8);

    LOG.info("-- restart dc2");
    launch(2, configs[1]).get(3, TimeUnit.MINUTES);
    TestClient viaDc2 = new TestClient(edges.get(1), realm, tokens::token);
    RecoverResult afterRejoin = null;
    for (int i = 0; i < 30; i++) {
      try {
        afterRejoin = viaDc2.recover("hsm-user", "0000");
        break;
      } catch (EdgeError e) {
        Thread.sleep(1000);
      }
    }
    assertThat(afterRejoin)
        .as("dc2 serves again after the restart")
        .isEqualTo(new RecoverResult.WrongPin(9));
    assertThat(viaDc2.recover("hsm-user", "1593")).isInstanceOf(RecoverResult.Recovered.class);
    for (VaultTransport t : edges) {
      t.close();
    }
  }

  private RecoverResult recoverWithFailover(
      List<VaultTransport> edges, int round, RealmConfig realm, TestFleetTokens tokens)
      throws Exception {
    Exception last = null;
    for (int k = 0; k < edges.size() * 3; k++) {
      VaultTransport t = edges.get((round + k) % edges.size());
      try {
        return new TestClient(t, realm, tokens::token).recover("hsm-user", "1593");
      } catch (EdgeError | java.util.concurrent.ExecutionException e) {
        LOG.info("round {}: edge {} refused: {}", round, (round + k) % edges.size(), e.toString());
        last = e;
        Thread.sleep(500);
      }
    }
    throw last;
  }

  private static RealmConfig realm(NodeConfig cfg) throws Exception {
    FleetDirectory d = new FleetDirectory(cfg.fleetDir());
    List<MemberKey> keys = new ArrayList<>();
    for (var m : cfg.members()) {
      FleetDirectory.Entry e = d.read(m.id()).orElseThrow();
      keys.add(MemberKey.of(e.index(), e.hpkePublic()));
    }
    return RealmConfig.of(cfg.fleetId(), cfg.threshold(), keys, TestFleet.TEST_PIN_PARAMS);
  }

  /** Tokens signed with the development app key. */
  static final class TestFleetTokens {
    private final Vertx v = Vertx.vertx();
    private final io.vertx.ext.auth.jwt.JWTAuth jwt;

    TestFleetTokens() throws Exception {
      String pem =
          Files.readString(TestFleet.repo().resolve("config/dev-app-jwt.DEVELOPMENT-ONLY.key.pem"));
      jwt =
          io.vertx.ext.auth.jwt.JWTAuth.create(
              v,
              new io.vertx.ext.auth.jwt.JWTAuthOptions()
                  .addPubSecKey(
                      new io.vertx.ext.auth.PubSecKeyOptions()
                          .setAlgorithm("ES256")
                          .setBuffer(pem)));
    }

    String token(String user) {
      return jwt.generateToken(
          new io.vertx.core.json.JsonObject().put("sub", user).put("iss", "dev-app"),
          new io.vertx.ext.auth.JWTOptions()
              .setAlgorithm("ES256")
              .setExpiresInSeconds(600)
              .setAudience(java.util.List.of("softhsm-3dc")));
    }
  }
}
