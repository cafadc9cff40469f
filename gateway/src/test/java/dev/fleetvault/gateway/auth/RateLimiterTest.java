package dev.fleetvault.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  void tryAcquire_burstSpent_refusedUntilRefilled() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    RateLimiter l = new RateLimiter(3, 100, now::get);
    assertThat(l.tryAcquire("u")).isTrue();
    assertThat(l.tryAcquire("u")).isTrue();
    assertThat(l.tryAcquire("u")).isTrue();
    assertThat(l.tryAcquire("u")).isFalse();
    assertThat(l.tryAcquire("other")).as("keys are independent").isTrue();
    now.addAndGet(20_000_000_000L); // 20 s = one token at 3/minute
    assertThat(l.tryAcquire("u")).isTrue();
    assertThat(l.tryAcquire("u")).isFalse();
  }

  @Test
  void tryAcquire_manyKeys_memoryBounded() {
    AtomicLong now = new AtomicLong();
    RateLimiter l = new RateLimiter(1, 10, now::get);
    assertThat(l.tryAcquire("first")).isTrue();
    assertThat(l.tryAcquire("first")).isFalse();
    for (int i = 0; i < 50; i++) {
      l.tryAcquire("k" + i);
    }
    assertThat(l.tryAcquire("first")).as("forgotten key starts with a full bucket").isTrue();
  }
}
