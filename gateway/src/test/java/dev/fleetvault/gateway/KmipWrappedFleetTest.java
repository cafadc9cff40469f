package dev.fleetvault.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.driver.kmip.testing.PyKmipExtension;
import dev.fleetvault.driver.kmip.testing.PyKmipServer;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.driver.DriverOpener;
import dev.fleetvault.gateway.member.impl.WrappedKeyStore;
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
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue #7: a 3-member fleet on the {@code kmip} driver against three real PyKMIP 0.10 servers (one
 * per member, no EC) with {@code hsm.member_keys: wrapped}: register, recover, wrong PINs count
 * down, and a restarted node opens its sealed EC keys through its KMIP server again. Also: the same
 * HSM with the default {@code in_hsm} is refused naming the wrapped option. Skipped loudly without
 * PyKMIP; fails under CI=true / FLEETVAULT_REQUIRE_HSM=1.
 */
@Tag("process")
class KmipWrappedFleetTest {
  static final List<PyKmipServer> servers = new ArrayList<>();
  static Path dir;
  static Path yaml;
  static LocalFleet fleet;
  static Vertx vertx;
  static JWTAuth tokens;

  @BeforeAll
  static void start() throws Exception {
    PyKmipExtension.assumeAvailable();
    Path build = Path.of(System.getProperty("fleetvault.buildDir", "target"));
    dir = Files.createTempDirectory(Files.createDirectories(build.resolve("kmip-fleet")), "t-");
    List<CompletableFuture<PyKmipServer>> starting = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Path d = Files.createDirectories(dir.resolve("pykmip-dc" + i));
      starting.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return PyKmipServer.start(d);
                } catch (Exception e) {
                  throw new IllegalStateException("PyKMIP did not start in " + d, e);
                }
              }));
    }
    for (CompletableFuture<PyKmipServer> f : starting) {
      servers.add(f.get(3, TimeUnit.MINUTES));
    }
    yaml = writeConfig(dir.resolve("fleet.yaml"), "      member_keys: wrapped\n");
    fleet = LocalFleet.start(yaml);
    vertx = Vertx.vertx();
    String pem =
        Files.readString(
            TestFleet.repo().resolve("config/dev-app-jwt.DEVELOPMENT-ONLY.key.pem"),
            StandardCharsets.US_ASCII);
    tokens =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(pem)));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (fleet != null) {
        fleet.close();
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      servers.forEach(PyKmipServer::close);
    }
  }

  /** A 3-member fleet config, member i on PyKMIP server i; {@code hsmExtra} goes into each hsm. */
  static Path writeConfig(Path file, String hsmExtra) throws Exception {
    Path cfgDir = TestFleet.repo().resolve("config");
    int base = Ports.freeBlock(12);
    StringBuilder y =
        new StringBuilder(
            "version: 1\ndevelopment: true\ndata_root: data\nfleet:\n  id: kmip-test\n"
                + "  members:\n");
    for (int i = 0; i < 3; i++) {
      int b = base + i * 4;
      y.append("    - id: dc")
          .append(i + 1)
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
    y.append("apps:\n  - id: dev-app\n    public_keys: [")
        .append(cfgDir.resolve("dev-app-jwt.DEVELOPMENT-ONLY.pub.pem"))
        .append("]\n")
        .append("limits:\n  request_timeout_ms: 30000\n  per_user_per_minute: 100000\n")
        .append(TestFleet.TEST_REGISTRATION)
        .append("nodes:\n");
    for (int i = 0; i < 3; i++) {
      y.append("  - member: dc")
          .append(i + 1)
          .append('\n')
          .append("    hsm:\n      driver: kmip\n      timeout_ms: 30000\n")
          .append("      allowed_providers: [dev.fleetvault.driver.kmip.KmipDriverProvider]\n")
          .append(hsmExtra)
          .append("      settings:\n");
      for (Map.Entry<String, Object> e : servers.get(i).driverSettings().entrySet()) {
        y.append("        ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      }
      y.append("        insecure_allow_extractable_keys: true\n");
    }
    Files.writeString(file, y.toString(), StandardCharsets.UTF_8);
    return file;
  }

  String token(String user) {
    return tokens.generateToken(
        new JsonObject().put("sub", user).put("iss", "dev-app"),
        new JWTOptions()
            .setAlgorithm("ES256")
            .setExpiresInSeconds(300)
            .setAudience(java.util.List.of("kmip-test")));
  }

  TestClient client(VaultTransport t) throws Exception {
    NodeConfig c = fleet.config();
    FleetDirectory d = new FleetDirectory(c.fleetDir());
    List<MemberKey> keys = new ArrayList<>();
    for (var m : c.members()) {
      FleetDirectory.Entry e = d.read(m.id()).orElseThrow();
      keys.add(MemberKey.of(e.index(), e.hpkePublic()));
    }
    return new TestClient(
        t,
        RealmConfig.of(c.fleetId(), c.threshold(), keys, TestFleet.TEST_PIN_PARAMS),
        this::token);
  }

  VaultTransport edge(int i) {
    LocalFleet.Edge e = fleet.edges().get(i);
    return new GrpcTransport(vertx, e.host(), e.port());
  }

  @Test
  void recover_wrappedKeysOnPyKmip_returnsSecretAndWrongPinCountsDown() throws Exception {
    byte[] secret = "backup key on KMIP \u0000\u00ff".getBytes(StandardCharsets.UTF_8);
    try (VaultTransport t = edge(0);
        VaultTransport t2 = edge(2)) {
      assertThat(client(t).register("kim", "1357", secret, 5))
          .isInstanceOf(RegisterResult.Registered.class);
      RecoverResult r = client(t2).recover("kim", "1357");
      assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(((RecoverResult.Recovered) r).secret().copy()).isEqualTo(secret);
      assertThat(client(t2).recover("kim", "0000")).isEqualTo(new RecoverResult.WrongPin(4));
      assertThat(client(t).recover("kim", "1111")).isEqualTo(new RecoverResult.WrongPin(3));
    }
    for (int i = 1; i <= 3; i++) {
      Path data = fleet.config().node("dc" + i).orElseThrow().dataDir();
      for (String k : new String[] {"hpke", "sign"}) {
        Path f =
            data.resolve(WrappedKeyStore.DIR)
                .resolve("fleetvault.dc" + i + "." + k + ".sealed.json");
        assertThat(f).as("sealed %s key of dc%d", k, i).isRegularFile();
        assertThat(Files.readString(f)).doesNotContain("PRIVATE KEY");
      }
    }
  }

  @Test
  void recover_afterNodeRestart_unsealsSameKeysThroughKmip() throws Exception {
    byte[] secret = {7, 7, 7};
    try (VaultTransport t = edge(1)) {
      assertThat(client(t).register("lee", "2468", secret, 5))
          .isInstanceOf(RegisterResult.Registered.class);
    }
    byte[] before = fleet.node("dc3").keys().hpkePublic();
    fleet.stopNode("dc3");
    fleet.startNode("dc3");
    assertThat(fleet.node("dc3").keys().hpkePublic())
        .as("same HPKE key after restart")
        .isEqualTo(before);
    try (VaultTransport t = edge(2)) {
      assertThat(client(t).recover("lee", "0000")).isEqualTo(new RecoverResult.WrongPin(4));
      RecoverResult r = client(t).recover("lee", "2468");
      assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(((RecoverResult.Recovered) r).secret().copy()).isEqualTo(secret);
    }
  }

  @Test
  void open_inHsmOnPyKmip_refusedNamingWrappedOption() throws Exception {
    Path other = writeConfig(dir.resolve("in-hsm.yaml"), "");
    NodeConfig c = NodeConfig.load(other, dir.resolve("in-hsm-data"));
    assertThatThrownBy(() -> DriverOpener.open(c, c.node("dc1").orElseThrow()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("member_keys: wrapped")
        .hasMessageContaining("memory")
        .hasMessageContaining("GENERATE_EC_P256");
  }
}
