package dev.fleetvault.loadgen;

import java.time.Duration;
import java.util.Objects;

/**
 * What one load run does.
 *
 * @param users users registered before the timed phase (each with its own random PIN and secret)
 * @param concurrency callers recovering at the same time
 * @param duration length of the timed recovery phase
 * @param guessLimit guess limit of each registration
 * @param fleetMembers members in the fleet (n), for the crypto ceiling
 * @param cores cores the fleet runs on, for the crypto ceiling
 * @param ceilingMillisPerStep measuring time of each step of the crypto ceiling (after its warm-up)
 * @param rate recoveries started per second, open loop (at most {@code concurrency} in flight); 0
 *     for a closed loop of {@code concurrency} callers
 * @param latencyReport run three phases instead of one: unloaded (one caller), peak (closed loop)
 *     and half peak (open loop at half the peak's throughput), and report p99 at half peak against
 *     the unloaded p50
 */
public record LoadOptions(
    int users,
    int concurrency,
    Duration duration,
    int guessLimit,
    int fleetMembers,
    int cores,
    long ceilingMillisPerStep,
    double rate,
    boolean latencyReport) {
  /** Default measuring time per ceiling step. */
  public static final long DEFAULT_CEILING_MILLIS = 1000;

  /** A closed-loop run. */
  public LoadOptions(
      int users,
      int concurrency,
      Duration duration,
      int guessLimit,
      int fleetMembers,
      int cores,
      long ceilingMillisPerStep) {
    this(
        users,
        concurrency,
        duration,
        guessLimit,
        fleetMembers,
        cores,
        ceilingMillisPerStep,
        0,
        false);
  }

  /** Options with the default ceiling measuring time. */
  public LoadOptions(
      int users, int concurrency, Duration duration, int guessLimit, int fleetMembers, int cores) {
    this(users, concurrency, duration, guessLimit, fleetMembers, cores, DEFAULT_CEILING_MILLIS);
  }

  /** Checks the ranges. */
  public LoadOptions {
    if (users < 1) {
      throw new IllegalArgumentException("users must be at least 1");
    }
    if (concurrency < 1 || concurrency > 4096) {
      throw new IllegalArgumentException("concurrency must be 1..4096");
    }
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive");
    }
    if (guessLimit < 1) {
      throw new IllegalArgumentException("guessLimit must be at least 1");
    }
    if (fleetMembers < 1) {
      throw new IllegalArgumentException("fleetMembers must be at least 1");
    }
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be at least 1");
    }
    if (ceilingMillisPerStep < 1) {
      throw new IllegalArgumentException("ceilingMillisPerStep must be at least 1");
    }
    if (!(rate >= 0) || rate > 1_000_000) {
      throw new IllegalArgumentException(
          "rate must be 0 (closed loop) or a positive number of recoveries per second up to 1000000");
    }
    if (latencyReport && rate > 0) {
      throw new IllegalArgumentException(
          "the latency report finds its own rate (half the peak); give no rate with it");
    }
  }
}
