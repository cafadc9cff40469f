package dev.fleetvault.loadgen;

import java.time.Duration;
import java.util.Objects;

/**
 * What one load run does.
 *
 * @param users        users registered before the timed phase (each with its own random PIN and secret)
 * @param concurrency  callers recovering at the same time
 * @param duration     length of the timed recovery phase
 * @param guessLimit   guess limit of each registration
 * @param fleetMembers members in the fleet (n), for the crypto ceiling
 * @param cores        cores the fleet runs on, for the crypto ceiling
 * @param ceilingMillisPerStep measuring time of each step of the crypto ceiling (after its warm-up)
 */
public record LoadOptions(int users, int concurrency, Duration duration, int guessLimit, int fleetMembers, int cores,
                          long ceilingMillisPerStep) {
    /** Default measuring time per ceiling step. */
    public static final long DEFAULT_CEILING_MILLIS = 1000;

    /** Options with the default ceiling measuring time. */
    public LoadOptions(int users, int concurrency, Duration duration, int guessLimit, int fleetMembers, int cores) {
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
    }
}
