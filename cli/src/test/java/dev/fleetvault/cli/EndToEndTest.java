package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.DeleteResult;
import dev.fleetvault.client.FleetStatus;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.FleetvaultException;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import dev.fleetvault.client.TransportKind;
import dev.fleetvault.loadgen.LoadGenerator;
import dev.fleetvault.loadgen.LoadOptions;
import dev.fleetvault.loadgen.LoadReport;
import dev.fleetvault.loadgen.ProgressListener;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End to end through the SDK on a real three-node fleet on 127.0.0.1, over gRPC and over WebSocket:
 * register, recover byte for byte, wrong PIN counting, lockout, delete, status, and the load
 * generator.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {
  private static final AtomicInteger USERS = new AtomicInteger();
  private final SecureRandom random = new SecureRandom();
  private TestFleet fleet;

  @BeforeAll
  void startFleet() throws Exception {
    fleet = TestFleet.start(TestDirs.fresh("e2e"), Ports.freeBlock(Ports.FLEET_BLOCK));
  }

  @AfterAll
  void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private static String newUser(TransportKind t) {
    return "e2e-" + t.name().toLowerCase() + "-" + USERS.incrementAndGet();
  }

  private byte[] randomSecret(int n) {
    byte[] s = new byte[n];
    random.nextBytes(s);
    return s;
  }

  private static RegisterResult register(
      FleetvaultClient c, String user, String pin, byte[] secret, int guesses) {
    try (Pin p = Pin.of(pin.toCharArray());
        BackupSecret s = BackupSecret.copyOf(secret)) {
      return c.blocking().register(user, p, s, guesses);
    }
  }

  private static RecoverResult recover(FleetvaultClient c, String user, String pin) {
    try (Pin p = Pin.of(pin.toCharArray())) {
      return c.blocking().recover(user, p);
    }
  }

  @ParameterizedTest
  @EnumSource(TransportKind.class)
  void recover_afterRegister_returnsSecretByteForByte(TransportKind transport) throws Exception {
    try (FleetvaultClient c = fleet.client(transport)) {
      String user = newUser(transport);
      byte[] secret = randomSecret(BackupSecret.MAX_LENGTH);
      assertThat(register(c, user, "1234", secret, 5)).isEqualTo(new RegisterResult.Registered(5));

      RecoverResult r = recover(c, user, "1234");

      assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
      try (BackupSecret got = ((RecoverResult.Recovered) r).secret()) {
        assertThat(got.copyBytes()).isEqualTo(secret);
      }
    }
  }

  @Test
  void recover_realPinParameters_returnsSecret() throws Exception {
    try (FleetvaultClient c =
        fleet.client(
            TransportKind.GRPC, fleet.tokens(), dev.fleetvault.cli.impl.LocalRealm.PIN_PARAMS)) {
      String user = newUser(TransportKind.GRPC);
      byte[] secret = randomSecret(32);
      register(c, user, "real-argon2", secret, 3);

      assertThat(recover(c, user, "real-argon2-wrong")).isEqualTo(new RecoverResult.WrongPin(2));
      RecoverResult r = recover(c, user, "real-argon2");

      assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(((RecoverResult.Recovered) r).secret().copyBytes()).isEqualTo(secret);
    }
  }

  @ParameterizedTest
  @EnumSource(TransportKind.class)
  void recover_wrongPin_guessesRemainingGoesDownByOne(TransportKind transport) throws Exception {
    try (FleetvaultClient c = fleet.client(transport)) {
      String user = newUser(transport);
      register(c, user, "2468", randomSecret(32), 5);

      assertThat(recover(c, user, "0000")).isEqualTo(new RecoverResult.WrongPin(4));
      assertThat(recover(c, user, "0001")).isEqualTo(new RecoverResult.WrongPin(3));
      assertThat(recover(c, user, "0002")).isEqualTo(new RecoverResult.WrongPin(2));
      // The right PIN before the limit still works and puts the counter back to zero.
      assertThat(recover(c, user, "2468")).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(recover(c, user, "0003")).isEqualTo(new RecoverResult.WrongPin(4));
    }
  }

  @ParameterizedTest
  @EnumSource(TransportKind.class)
  void recover_atGuessLimit_noGuessesAndRightPinNoLongerWorks(TransportKind transport)
      throws Exception {
    try (FleetvaultClient c = fleet.client(transport)) {
      String user = newUser(transport);
      register(c, user, "1357", randomSecret(16), 2);

      assertThat(recover(c, user, "9999")).isEqualTo(new RecoverResult.WrongPin(1));
      RecoverResult last = recover(c, user, "9998");
      assertThat(last).isIn(new RecoverResult.WrongPin(0), new RecoverResult.NoGuesses());

      assertThat(recover(c, user, "1357")).isEqualTo(new RecoverResult.NoGuesses());
      assertThat(recover(c, user, "9997")).isEqualTo(new RecoverResult.NoGuesses());
    }
  }

  @ParameterizedTest
  @EnumSource(TransportKind.class)
  void recover_unknownUser_notRegistered(TransportKind transport) throws Exception {
    try (FleetvaultClient c = fleet.client(transport)) {
      assertThat(recover(c, newUser(transport), "1234"))
          .isEqualTo(new RecoverResult.NotRegistered());
    }
  }

  @ParameterizedTest
  @EnumSource(TransportKind.class)
  void recover_afterDelete_notRegistered(TransportKind transport) throws Exception {
    try (FleetvaultClient c = fleet.client(transport)) {
      String user = newUser(transport);
      register(c, user, "5555", randomSecret(8), 3);

      assertThat(c.blocking().delete(user)).isInstanceOf(DeleteResult.Deleted.class);

      assertThat(recover(c, user, "5555")).isEqualTo(new RecoverResult.NotRegistered());
    }
  }

  @ParameterizedTest
  @EnumSource(TransportKind.class)
  void register_again_replacesSecretAndResetsGuesses(TransportKind transport) throws Exception {
    try (FleetvaultClient c = fleet.client(transport)) {
      String user = newUser(transport);
      register(c, user, "1111", randomSecret(8), 3);
      assertThat(recover(c, user, "0000")).isEqualTo(new RecoverResult.WrongPin(2));
      byte[] second = randomSecret(20);

      assertThat(register(c, user, "2222", second, 3)).isEqualTo(new RegisterResult.Registered(3));

      assertThat(recover(c, user, "1111")).isEqualTo(new RecoverResult.WrongPin(2));
      RecoverResult r = recover(c, user, "2222");
      assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(((RecoverResult.Recovered) r).secret().copyBytes()).isEqualTo(second);
    }
  }

  @Test
  void recover_concurrentCallsForManyUsers_allRecovered() throws Exception {
    try (FleetvaultClient c = fleet.client(TransportKind.GRPC)) {
      int n = 6;
      String[] users = new String[n];
      byte[][] secrets = new byte[n][];
      for (int i = 0; i < n; i++) {
        users[i] = newUser(TransportKind.GRPC);
        secrets[i] = randomSecret(24);
        register(c, users[i], "pin" + i, secrets[i], 3);
      }
      CompletableFuture<?>[] all = new CompletableFuture<?>[n];
      for (int i = 0; i < n; i++) {
        Pin pin = Pin.of(("pin" + i).toCharArray());
        all[i] = c.recover(users[i], pin).toCompletableFuture().whenComplete((r, e) -> pin.close());
      }
      CompletableFuture.allOf(all).get();
      for (int i = 0; i < n; i++) {
        RecoverResult r = (RecoverResult) all[i].get();
        assertThat(r).as("user %d", i).isInstanceOf(RecoverResult.Recovered.class);
        assertThat(((RecoverResult.Recovered) r).secret().copyBytes()).isEqualTo(secrets[i]);
      }
    }
  }

  @Test
  void recover_tokenForAnotherUser_refused() throws Exception {
    String victim = newUser(TransportKind.GRPC);
    try (FleetvaultClient c = fleet.client(TransportKind.GRPC)) {
      register(c, victim, "4321", randomSecret(8), 3);
    }
    String attacker = newUser(TransportKind.GRPC);
    try (FleetvaultClient c =
        fleet.client(TransportKind.GRPC, u -> fleet.tokens().tokenFor(attacker))) {
      assertThatThrownBy(() -> recover(c, victim, "0000"))
          .isInstanceOf(FleetvaultException.class)
          .satisfies(
              e ->
                  assertThat(((FleetvaultException) e).code())
                      .isIn(
                          FleetvaultException.Code.UNAUTHENTICATED,
                          FleetvaultException.Code.INVALID_ARGUMENT));
      assertThatThrownBy(() -> c.blocking().delete(victim)).isInstanceOf(FleetvaultException.class);
    }
    try (FleetvaultClient c = fleet.client(TransportKind.GRPC)) {
      // The victim's guesses were not touched.
      assertThat(recover(c, victim, "0000")).isEqualTo(new RecoverResult.WrongPin(2));
    }
  }

  @Test
  void recover_expiredToken_unauthenticated() throws Exception {
    String user = newUser(TransportKind.WEBSOCKET);
    long past = System.currentTimeMillis() / 1000 - 3600;
    try (FleetvaultClient c =
        fleet.client(
            TransportKind.WEBSOCKET,
            u -> CompletableFuture.completedFuture(fleet.tokens().mint(u, past)))) {
      assertThatThrownBy(() -> recover(c, user, "1234"))
          .isInstanceOf(FleetvaultException.class)
          .extracting(e -> ((FleetvaultException) e).code())
          .isEqualTo(FleetvaultException.Code.UNAUTHENTICATED);
    }
  }

  @ParameterizedTest
  @EnumSource(TransportKind.class)
  void status_allNodesUp_majorityReachable(TransportKind transport) throws Exception {
    try (FleetvaultClient c = fleet.client(transport)) {
      FleetStatus s = c.blocking().status();
      assertThat(s.members()).isEqualTo(3);
      assertThat(s.threshold()).isEqualTo(2);
      assertThat(s.majorityReachable()).isTrue();
      assertThat(s.edge()).isEqualTo(fleet.edges().get(0));
    }
  }

  @Test
  void loadGenerator_shortRun_recoversEverySecretItChecks() throws Exception {
    try (FleetvaultClient c = fleet.client(TransportKind.GRPC)) {
      LoadReport report =
          new LoadGenerator(
                  c,
                  new LoadOptions(3, 2, Duration.ofSeconds(2), 10, 3, 2, 50),
                  ProgressListener.NONE)
              .run();

      assertThat(report.registered()).isEqualTo(3);
      assertThat(report.recovered()).isPositive();
      assertThat(report.outcomes()).containsOnlyKeys("Recovered");
      assertThat(report.recoverLatency().getTotalCount()).isEqualTo(report.recovered());
      assertThat(report.ceiling().recoveriesPerSecond()).isPositive();
    }
  }
}
