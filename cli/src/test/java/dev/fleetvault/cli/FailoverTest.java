package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.FleetStatus;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import dev.fleetvault.client.TransportKind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Data centers going down: with one node stopped the SDK works through the other edges (gRPC and
 * WebSocket); with two stopped it reports Unavailable and no guess is spent.
 */
@Tag("process")
class FailoverTest {
  private static final byte[] SECRET =
      "failover secret".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private TestFleet fleet;

  @BeforeEach
  void startFleet() throws Exception {
    fleet = TestFleet.start(TestDirs.fresh("failover"), Ports.freeBlock(Ports.FLEET_BLOCK));
  }

  @AfterEach
  void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private static RegisterResult register(FleetvaultClient c, String user, String pin, int guesses) {
    try (Pin p = Pin.of(pin.toCharArray());
        BackupSecret s = BackupSecret.copyOf(SECRET)) {
      return c.blocking().register(user, p, s, guesses);
    }
  }

  private static RecoverResult recover(FleetvaultClient c, String user, String pin) {
    try (Pin p = Pin.of(pin.toCharArray())) {
      return c.blocking().recover(user, p);
    }
  }

  @Test
  void operations_nodesStopped_otherEdgesServeOrUnavailableWithoutSpendingGuesses()
      throws Exception {
    try (FleetvaultClient grpc = fleet.client(TransportKind.GRPC);
        FleetvaultClient ws = fleet.client(TransportKind.WEBSOCKET)) {
      assertThat(register(grpc, "fo-main", "7777", 5))
          .isInstanceOf(RegisterResult.Registered.class);

      // dc1 (every client's first edge) goes down: the other two edges serve everything.
      fleet.stopNode("dc1");
      for (FleetvaultClient c : new FleetvaultClient[] {grpc, ws}) {
        RecoverResult r = recover(c, "fo-main", "7777");
        assertThat(r).isInstanceOf(RecoverResult.Recovered.class);
        assertThat(((RecoverResult.Recovered) r).secret().copyBytes()).isEqualTo(SECRET);
        String fresh = "fo-new-" + (c == grpc ? "grpc" : "ws");
        assertThat(register(c, fresh, "1212", 3)).isInstanceOf(RegisterResult.Registered.class);
        assertThat(recover(c, fresh, "1212")).isInstanceOf(RecoverResult.Recovered.class);
      }

      // dc2 too: no majority anywhere.
      fleet.stopNode("dc2");
      for (FleetvaultClient c : new FleetvaultClient[] {grpc, ws}) {
        assertThat(recover(c, "fo-main", "0000")).isInstanceOf(RecoverResult.Unavailable.class);
        assertThat(recover(c, "fo-main", "7777")).isInstanceOf(RecoverResult.Unavailable.class);
        assertThat(register(c, "fo-never", "1", 3)).isInstanceOf(RegisterResult.Unavailable.class);
      }

      // dc2 back: a majority again. The failed attempts above spent no guess.
      fleet.startNode("dc2");
      awaitMajority(grpc);
      assertThat(recover(grpc, "fo-main", "0000")).isEqualTo(new RecoverResult.WrongPin(4));
      assertThat(recover(ws, "fo-never", "1")).isEqualTo(new RecoverResult.NotRegistered());
    }
  }

  private static void awaitMajority(FleetvaultClient c) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      try {
        FleetStatus s = c.blocking().status();
        if (s.majorityReachable() && s.reachable().size() >= 2) {
          return;
        }
      } catch (RuntimeException e) {
        // not yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the fleet did not regain a majority within 2 minutes");
  }
}
