package dev.fleetvault.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final VerifiedTokens cache = new VerifiedTokens(2, now::get);
  private final Caller ann = new Caller("app", "ann", 1_060);

  @Test
  void lookup_rememberedToken_returnsItsCaller() {
    cache.remember("a.b.c", ann);
    assertThat(cache.lookup("a.b.c")).isEqualTo(ann);
  }

  @Test
  void lookup_tokenDifferingInOneCharacter_misses() {
    cache.remember("a.b.c", ann);
    assertThat(cache.lookup("a.b.d")).isNull();
    assertThat(cache.lookup("a.b.c ")).isNull();
  }

  @Test
  void lookup_atOrAfterExp_missesAndForgets() {
    cache.remember("a.b.c", ann);
    now.set(1_059);
    assertThat(cache.lookup("a.b.c")).isEqualTo(ann);
    now.set(1_060);
    assertThat(cache.lookup("a.b.c")).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void remember_expiredCaller_notStored() {
    cache.remember("a.b.c", new Caller("app", "ann", 999));
    assertThat(cache.size()).isZero();
  }

  @Test
  void remember_beyondMaxEntries_forgetsLeastRecentlyUsed() {
    cache.remember("t1", ann);
    cache.remember("t2", ann);
    assertThat(cache.lookup("t1")).isNotNull();
    cache.remember("t3", ann);
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.lookup("t2")).isNull();
    assertThat(cache.lookup("t1")).isNotNull();
    assertThat(cache.lookup("t3")).isNotNull();
  }
}
