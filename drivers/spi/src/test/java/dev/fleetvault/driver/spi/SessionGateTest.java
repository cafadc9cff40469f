package dev.fleetvault.driver.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Back-pressure: a full gate refuses with a retryable BUSY instead of queueing; a closed gate
 * refuses with CLOSED.
 */
@SuppressWarnings("try")
class SessionGateTest {

  @Test
  void acquire_allPermitsHeld_retryableBusy() throws Exception {
    SessionGate g = new SessionGate("test", 2, Duration.ofMillis(50));
    try (SessionGate.Permit a = g.acquire();
        SessionGate.Permit b = g.acquire()) {
      assertThat(g.inUse()).isEqualTo(2);
      assertThatThrownBy(g::acquire)
          .isInstanceOf(HsmRetryableException.class)
          .satisfies(
              e -> {
                assertThat(((HsmException) e).isRetryable()).isTrue();
                assertThat(((HsmException) e).kind()).isEqualTo(HsmException.Kind.BUSY);
              })
          .hasMessageContaining("raise max_sessions");
    }
    assertThat(g.inUse()).isZero();
    g.acquire().close();
  }

  @Test
  void permit_closedTwice_releasedOnce() throws Exception {
    SessionGate g = new SessionGate("test", 1, Duration.ofMillis(50));
    SessionGate.Permit p = g.acquire();
    p.close();
    p.close();
    try (SessionGate.Permit q = g.acquire()) {
      assertThatThrownBy(g::acquire).isInstanceOf(HsmRetryableException.class);
    }
  }

  @Test
  void close_thenAcquire_closed() throws Exception {
    SessionGate g = new SessionGate("test", 1, Duration.ofMillis(50));
    assertThat(g.close(Duration.ofMillis(10))).isTrue();
    assertThatThrownBy(g::acquire)
        .isInstanceOf(HsmFatalException.class)
        .satisfies(e -> assertThat(((HsmException) e).kind()).isEqualTo(HsmException.Kind.CLOSED));
  }

  @Test
  void close_withPermitOut_reportsNotDrained() throws Exception {
    SessionGate g = new SessionGate("test", 1, Duration.ofMillis(50));
    SessionGate.Permit p = g.acquire();
    assertThat(g.close(Duration.ofMillis(20))).isFalse();
    p.close();
    assertThat(g.inUse()).isZero();
  }
}
