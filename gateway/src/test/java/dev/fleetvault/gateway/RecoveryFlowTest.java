package dev.fleetvault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.support.GrpcTransport;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.gateway.support.VaultTransport;
import dev.fleetvault.gateway.support.WsTransport;
import dev.fleetvault.protocol.flow.RecoverResult;
import dev.fleetvault.protocol.flow.RegisterResult;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Register and recover through every transport of a 3-node fleet in one JVM. */
@Tag("process")
class RecoveryFlowTest {
  static TestFleet fleet;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    fleet = dev.fleetvault.gateway.support.SharedFleet.get();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  static Stream<String> transports() {
    return Stream.of("grpc", "websocket");
  }

  static VaultTransport open(String kind, int edge) throws Exception {
    LocalFleet.Edge e = fleet.fleet().edges().get(edge);
    switch (kind) {
      case "grpc":
        return new GrpcTransport(vertx, e.host(), e.port());
      default:
        return new WsTransport(vertx, e.host(), e.port());
    }
  }

  static TestClient client(VaultTransport t) throws Exception {
    return new TestClient(t, fleet.realm(), fleet::token);
  }

  @ParameterizedTest
  @MethodSource("transports")
  void recover_rightPin_returnsSecretByteForByte(String kind) throws Exception {
    String user = "alice-" + kind;
    byte[] secret = ("backup key of " + user + " \u0000\u00ff").getBytes(StandardCharsets.UTF_8);
    try (VaultTransport t = open(kind, 0);
        VaultTransport t2 = open(kind, 2)) {
      RegisterResult reg = client(t).register(user, "1234", secret, 5);
      assertThat(reg).isInstanceOf(RegisterResult.Registered.class);
      RecoverResult r = client(t2).recover(user, "1234");
      assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(((RecoverResult.Recovered) r).secret().copy()).isEqualTo(secret);
    }
  }

  @ParameterizedTest
  @MethodSource("transports")
  void recover_wrongPin_guessesRemainingDownByOnePerTry(String kind) throws Exception {
    String user = "bob-" + kind;
    try (VaultTransport t = open(kind, 1)) {
      TestClient c = client(t);
      c.register(user, "2468", new byte[] {1, 2, 3}, 5);
      assertThat(c.recover(user, "0000")).isEqualTo(new RecoverResult.WrongPin(4));
      assertThat(c.recover(user, "1111")).isEqualTo(new RecoverResult.WrongPin(3));
      assertThat(c.recover(user, "2222")).isEqualTo(new RecoverResult.WrongPin(2));
      RecoverResult ok = c.recover(user, "2468");
      assertThat(ok).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(c.recover(user, "0000"))
          .as("success resets the counter")
          .isEqualTo(new RecoverResult.WrongPin(4));
    }
  }

  @ParameterizedTest
  @MethodSource("transports")
  void recover_atLimit_noGuessesAndRightPinNoLongerWorks(String kind) throws Exception {
    String user = "carol-" + kind;
    try (VaultTransport t = open(kind, 2)) {
      TestClient c = client(t);
      c.register(user, "9999", new byte[] {9}, 3);
      assertThat(c.recover(user, "0001")).isEqualTo(new RecoverResult.WrongPin(2));
      assertThat(c.recover(user, "0002")).isEqualTo(new RecoverResult.WrongPin(1));
      RecoverResult last = c.recover(user, "0003");
      assertThat(last).isIn(new RecoverResult.WrongPin(0), new RecoverResult.NoGuesses());
      assertThat(c.recover(user, "9999")).isInstanceOf(RecoverResult.NoGuesses.class);
      assertThat(c.recover(user, "9999")).isInstanceOf(RecoverResult.NoGuesses.class);
    }
  }

  @ParameterizedTest
  @MethodSource("transports")
  void recover_lastGuessRightPin_recovers(String kind) throws Exception {
    String user = "dave-" + kind;
    try (VaultTransport t = open(kind, 0)) {
      TestClient c = client(t);
      c.register(user, "4321", new byte[] {4, 3, 2, 1}, 2);
      assertThat(c.recover(user, "0000")).isEqualTo(new RecoverResult.WrongPin(1));
      RecoverResult r = c.recover(user, "4321");
      assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
    }
  }

  @ParameterizedTest
  @MethodSource("transports")
  void recover_utf8UserIds_registeredAndRecoveredAsTheirExactBytes(String kind) throws Exception {
    // PROTOCOL.md 3.1: a user id is 1..128 UTF-8 bytes, compared byte for byte, not normalised
    String nfc = "jos\u00e9-" + kind;
    String nfd = "jose\u0301-" + kind;
    String max = "\u00e9".repeat(62) + "-" + kind.charAt(0) + "-" + "x".repeat(1);
    max = max + "y".repeat(128 - max.getBytes(StandardCharsets.UTF_8).length);
    assertThat(max.getBytes(StandardCharsets.UTF_8)).hasSize(128);
    try (VaultTransport t = open(kind, 1)) {
      TestClient c = client(t);
      for (String user : new String[] {nfc, "a b-" + kind, max}) {
        byte[] secret = ("secret of " + user.substring(0, 5)).getBytes(StandardCharsets.UTF_8);
        assertThat(c.register(user, "1357", secret, 5))
            .as(user)
            .isInstanceOf(RegisterResult.Registered.class);
        RecoverResult r = c.recover(user, "1357");
        assertThat(((RecoverResult.Recovered) r).secret().copy()).as(user).isEqualTo(secret);
      }
      assertThat(c.recover(nfd, "1357"))
          .as("the NFD spelling is another user")
          .isInstanceOf(RecoverResult.NotRegistered.class);
    }
  }

  @ParameterizedTest
  @MethodSource("transports")
  void recover_neverRegistered_notRegistered(String kind) throws Exception {
    try (VaultTransport t = open(kind, 1)) {
      assertThat(client(t).recover("nobody-" + kind, "1234"))
          .isInstanceOf(RecoverResult.NotRegistered.class);
    }
  }
}
