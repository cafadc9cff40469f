package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.Edge;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import dev.fleetvault.client.TransportKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A guess whose phase-1 answer is lost (PROTOCOL.md 9.1a, P18), on a real 3-node fleet through the
 * SDK: a hostile edge in front of dc1 ({@link GuessLosingProxy}) swallows the answer after the
 * members committed, drops the guess before any member saw it, or forges the answers of the check.
 * The SDK must report what a majority of members said, never an edge's word.
 */
@Tag("process")
class LostGuessSdkTest {
  private static final byte[] SECRET = "lost guess secret".getBytes(StandardCharsets.UTF_8);
  private TestFleet fleet;

  @BeforeEach
  void startFleet() throws Exception {
    fleet = TestFleet.start(TestDirs.fresh("lost-guess"), Ports.freeBlock(Ports.FLEET_BLOCK));
  }

  @AfterEach
  void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private static RecoverResult recover(FleetvaultClient c, String user, String pin) {
    try (Pin p = Pin.of(pin.toCharArray())) {
      return c.blocking().recover(user, p);
    }
  }

  private void register(String user) throws Exception {
    try (FleetvaultClient c = fleet.client(TransportKind.WEBSOCKET);
        Pin p = Pin.of("2468".toCharArray());
        BackupSecret s = BackupSecret.copyOf(SECRET)) {
      assertThat(c.blocking().register(user, p, s, 5))
          .isInstanceOf(RegisterResult.Registered.class);
    }
  }

  /** The SDK's recovery with a wrong PIN through {@code proxy} only. */
  private RecoverResult throughProxy(GuessLosingProxy proxy, String user) throws Exception {
    try (FleetvaultClient c =
        fleet.client(
            List.of(new Edge("127.0.0.1", proxy.port())),
            TransportKind.WEBSOCKET,
            Duration.ofSeconds(3))) {
      return recover(c, user, "1111");
    }
  }

  private RecoverResult honestWrongGuess(String user) throws Exception {
    try (FleetvaultClient c = fleet.client(TransportKind.WEBSOCKET)) {
      return recover(c, user, "1111");
    }
  }

  @Test
  void recover_phase1AnswerSwallowedAfterCommit_reportsCountedWithGuessesLeft() throws Exception {
    register("lg-swallowed");
    Edge dc1 = fleet.edges().get(0);
    RecoverResult r;
    try (GuessLosingProxy proxy =
        new GuessLosingProxy(dc1.host(), dc1.port(), GuessLosingProxy.Mode.SWALLOW_ANSWER, false)) {
      r = throughProxy(proxy, "lg-swallowed");
    }
    assertThat(r).isInstanceOf(RecoverResult.Unavailable.class);
    RecoverResult.Unavailable u = (RecoverResult.Unavailable) r;
    assertThat(u.guess()).as(u.reason()).isEqualTo(RecoverResult.Guess.COUNTED);
    assertThat(u.guessesRemaining()).isEqualTo(4);
    // the re-sent identical guess counted nothing more, and asking spent nothing
    assertThat(honestWrongGuess("lg-swallowed")).isEqualTo(new RecoverResult.WrongPin(3));
  }

  @Test
  void recover_phase1NeverReachesTheMembers_reportsNotCounted() throws Exception {
    register("lg-dropped");
    Edge dc1 = fleet.edges().get(0);
    RecoverResult r;
    try (GuessLosingProxy proxy =
        new GuessLosingProxy(dc1.host(), dc1.port(), GuessLosingProxy.Mode.DROP_REQUEST, false)) {
      r = throughProxy(proxy, "lg-dropped");
    }
    RecoverResult.Unavailable u = (RecoverResult.Unavailable) r;
    assertThat(u.guess()).as(u.reason()).isEqualTo(RecoverResult.Guess.NOT_COUNTED);
    assertThat(u.guessesRemaining()).isEqualTo(5);
    assertThat(honestWrongGuess("lg-dropped")).isEqualTo(new RecoverResult.WrongPin(4));
  }

  @Test
  void recover_edgeForgesTheCheck_neverNotCountedMayHaveBeenCounted() throws Exception {
    register("lg-forged");
    Edge dc1 = fleet.edges().get(0);
    RecoverResult r;
    try (GuessLosingProxy proxy =
        new GuessLosingProxy(dc1.host(), dc1.port(), GuessLosingProxy.Mode.SWALLOW_ANSWER, true)) {
      r = throughProxy(proxy, "lg-forged");
    }
    RecoverResult.Unavailable u = (RecoverResult.Unavailable) r;
    assertThat(u.guess()).as(u.reason()).isEqualTo(RecoverResult.Guess.MAY_HAVE_BEEN_COUNTED);
    assertThat(u.guessesRemaining()).isEqualTo(-1);
    // it was counted: the edge's replayed "answers" changed nothing
    assertThat(honestWrongGuess("lg-forged")).isEqualTo(new RecoverResult.WrongPin(3));
  }
}
