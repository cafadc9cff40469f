package dev.fleetvault.gateway.auth;

import dev.fleetvault.gateway.impl.BoundedMaps;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Token-bucket rate limits by key (user or client address): each key may spend {@code perMinute}
 * requests in a burst and regains them at {@code perMinute/60} per second. Memory is bounded: the
 * least recently used keys are forgotten beyond {@code maxKeys} (a forgotten key starts again with
 * a full bucket). Thread-safe.
 */
public final class RateLimiter {
  private final double capacity;
  private final double perNano;
  private final LongSupplier clock;
  private final Map<String, Bucket> buckets;

  /**
   * @param perMinute burst size and refill per minute; @param maxKeys keys remembered
   */
  public RateLimiter(int perMinute, int maxKeys) {
    this(perMinute, maxKeys, System::nanoTime);
  }

  /** As above with an explicit nanosecond clock (tests). */
  public RateLimiter(int perMinute, int maxKeys, LongSupplier nanoClock) {
    this.capacity = perMinute;
    this.perNano = perMinute / 60e9;
    this.clock = nanoClock;
    this.buckets = BoundedMaps.evictingBeyond(maxKeys, true);
  }

  /** Takes one request from {@code key}'s bucket; false if the bucket is empty. */
  public synchronized boolean tryAcquire(String key) {
    long now = clock.getAsLong();
    Bucket b = buckets.get(key);
    if (b == null) {
      b = new Bucket(capacity, now);
      buckets.put(key, b);
    }
    b.tokens = Math.min(capacity, b.tokens + (now - b.last) * perNano);
    b.last = now;
    if (b.tokens < 1) {
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  private static final class Bucket {
    double tokens;
    long last;

    Bucket(double tokens, long last) {
      this.tokens = tokens;
      this.last = last;
    }
  }
}
