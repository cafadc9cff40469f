package dev.fleetvault.loadgen;

import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Drives a fleet through the client SDK: registers {@link LoadOptions#users()} users (random
 * 6-digit PIN, random 32-byte secret each), then for {@link LoadOptions#duration()} keeps {@link
 * LoadOptions#concurrency()} recoveries in flight (or starts {@link LoadOptions#rate()} per second,
 * open loop), round-robin over the users, checking every recovered secret byte for byte. The crypto
 * ceiling is measured first, on an idle fleet, in this process. With a {@link FleetCpu} probe the
 * fleet's process CPU is read before and after each timed phase. With {@link
 * LoadOptions#latencyReport()} three phases run: unloaded (one caller), peak (closed loop at the
 * given concurrency) and half peak (open loop at half the peak's rate).
 *
 * <p>The PINs and secrets are synthetic benchmark data; they are never printed.
 */
public final class LoadGenerator {
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(5);

  private final FleetvaultClient client;
  private final LoadOptions options;
  private final ProgressListener progress;
  private final SecureRandom random = new SecureRandom();
  private final FleetCpu fleetCpu;
  private volatile String cpuError;

  /**
   * @param client the client to drive (not closed here)
   * @param options what to run
   * @param progress where progress goes
   */
  public LoadGenerator(FleetvaultClient client, LoadOptions options, ProgressListener progress) {
    this(client, options, progress, null);
  }

  /**
   * @param client the client to drive (not closed here)
   * @param options what to run
   * @param progress where progress goes
   * @param fleetCpu reads the fleet's process CPU before and after each timed phase, or null
   */
  public LoadGenerator(
      FleetvaultClient client, LoadOptions options, ProgressListener progress, FleetCpu fleetCpu) {
    this.client = client;
    this.options = options;
    this.progress = progress;
    this.fleetCpu = fleetCpu;
  }

  /** Runs ceiling, registration and the timed recovery phase; returns the report. */
  public LoadReport run() throws InterruptedException {
    progress.phase("crypto ceiling", 1, "step");
    CryptoCeiling.Result ceiling =
        CryptoCeiling.measure(
            options.fleetMembers(), options.cores(), options.ceilingMillisPerStep());
    progress.progress(1, "");
    progress.phaseDone();

    String run = Long.toHexString(random.nextLong() & 0xffffffffL);
    int n = options.users();
    String[] users = new String[n];
    char[][] pins = new char[n][];
    byte[][] secrets = new byte[n][];
    for (int i = 0; i < n; i++) {
      users[i] = "bench-" + run + "-" + i;
      pins[i] = String.format("%06d", random.nextInt(1_000_000)).toCharArray();
      secrets[i] = new byte[32];
      random.nextBytes(secrets[i]);
    }
    try {
      Histogram registerLatency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
      boolean[] ok = new boolean[n];
      long registered = register(users, pins, secrets, ok, registerLatency);
      if (registered == 0) {
        return new LoadReport(
            options,
            0,
            registerLatency,
            0,
            Map.of("no users registered", 1L),
            new Histogram(HIGHEST_MICROS, 3),
            0,
            ceiling,
            null,
            null);
      }
      return recover(users, pins, secrets, ok, registered, registerLatency, ceiling);
    } finally {
      for (int i = 0; i < n; i++) {
        Arrays.fill(pins[i], '\0');
        Arrays.fill(secrets[i], (byte) 0);
      }
    }
  }

  private long register(
      String[] users, char[][] pins, byte[][] secrets, boolean[] ok, Histogram latency)
      throws InterruptedException {
    int n = users.length;
    progress.phase("register", n, "users");
    LongAdder done = new LongAdder();
    LongAdder good = new LongAdder();
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(options.concurrency(), n), daemon("bench-register"));
    CountDownLatch all = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      int u = i;
      pool.execute(
          () -> {
            long t0 = System.nanoTime();
            try (Pin pin = Pin.of(pins[u]);
                BackupSecret s = BackupSecret.copyOf(secrets[u])) {
              RegisterResult r = client.blocking().register(users[u], pin, s, options.guessLimit());
              if (r instanceof RegisterResult.Registered) {
                latency.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - t0) / 1000));
                ok[u] = true;
                good.increment();
              }
            } catch (RuntimeException e) {
              // counted as not registered
            } finally {
              done.increment();
              progress.progress(done.sum(), good.sum() + " ok");
              all.countDown();
            }
          });
    }
    all.await();
    pool.shutdown();
    progress.phaseDone();
    return good.sum();
  }

  private LoadReport recover(
      String[] users,
      char[][] pins,
      byte[][] secrets,
      boolean[] ok,
      long registered,
      Histogram registerLatency,
      CryptoCeiling.Result ceiling)
      throws InterruptedException {
    int[] live = java.util.stream.IntStream.range(0, users.length).filter(i -> ok[i]).toArray();
    LoadReport.LatencyGoal goal = null;
    Phase main;
    if (options.latencyReport()) {
      Phase unloaded = phase("unloaded", 1, 0, users, pins, secrets, live);
      main = phase("peak", options.concurrency(), 0, users, pins, secrets, live);
      double half = main.throughput() / 2;
      Phase halfPeak =
          half > 0
              ? phase("half peak", options.concurrency(), half, users, pins, secrets, live)
              : null;
      goal = new LoadReport.LatencyGoal(unloaded, main, halfPeak);
    } else {
      main = phase("recover", options.concurrency(), options.rate(), users, pins, secrets, live);
    }
    return new LoadReport(
        options,
        registered,
        registerLatency,
        main.recovered(),
        main.outcomes(),
        main.latency(),
        main.seconds(),
        ceiling,
        main,
        goal);
  }

  /**
   * One timed recovery phase of {@link LoadOptions#duration()}. Closed loop ({@code rate} 0):
   * {@code c} callers each start the next recovery when the last one ends; latency from start to
   * answer. Open loop ({@code rate} > 0): recoveries are started at fixed intervals of {@code
   * 1/rate} s whatever the answers, run by up to {@code c} callers; latency from the intended start
   * (so queueing behind a slow fleet counts, no coordinated omission).
   */
  Phase phase(
      String name, int c, double rate, String[] users, char[][] pins, byte[][] secrets, int[] live)
      throws InterruptedException {
    Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
    Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    LongAdder recovered = new LongAdder();
    AtomicInteger next = new AtomicInteger();
    long seconds = options.duration().toSeconds();
    progress.phase(name, Math.max(1, seconds), "s");
    FleetCpu.Snapshot cpu0 = cpuSnapshot();
    long start = System.nanoTime();
    long deadline = start + options.duration().toNanos();
    AtomicLong end = new AtomicLong();
    ExecutorService pool =
        Executors.newFixedThreadPool(c, daemon("bench-" + name.replace(' ', '-')));
    java.util.function.LongConsumer one =
        intended -> {
          int u = live[Math.floorMod(next.getAndIncrement(), live.length)];
          String outcome;
          try (Pin pin = Pin.of(pins[u])) {
            RecoverResult r = client.blocking().recover(users[u], pin);
            if (r instanceof RecoverResult.Recovered rec) {
              try (BackupSecret s = rec.secret()) {
                if (s.contentEquals(secrets[u])) {
                  latency.recordValue(
                      Math.min(HIGHEST_MICROS, (System.nanoTime() - intended) / 1000));
                  recovered.increment();
                  outcome = "Recovered";
                } else {
                  outcome = "Recovered-but-different";
                }
              }
            } else {
              outcome = r.getClass().getSimpleName();
            }
          } catch (RuntimeException e) {
            outcome = "error:" + e.getClass().getSimpleName();
          }
          outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
          end.accumulateAndGet(System.nanoTime(), Math::max);
        };
    CountDownLatch finished;
    if (rate > 0) {
      long interval = Math.max(1, (long) (1e9 / rate));
      long started = 0;
      java.util.List<java.util.concurrent.Future<?>> pending = new java.util.ArrayList<>();
      for (long t = start; t < deadline; t += interval) {
        long wait = t - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        long intended = t;
        pending.add(pool.submit(() -> one.accept(intended)));
        if (++started % Math.max(1, (long) rate / 4) == 0) {
          reportProgress(start, seconds, recovered);
        }
      }
      finished = new CountDownLatch(0);
      for (java.util.concurrent.Future<?> f : pending) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          outcomes
              .computeIfAbsent(
                  "error:" + e.getCause().getClass().getSimpleName(), k -> new LongAdder())
              .increment();
        }
      }
    } else {
      finished = new CountDownLatch(c);
      for (int w = 0; w < c; w++) {
        pool.execute(
            () -> {
              try {
                while (System.nanoTime() < deadline) {
                  one.accept(System.nanoTime());
                }
              } finally {
                finished.countDown();
              }
            });
      }
    }
    while (!finished.await(250, TimeUnit.MILLISECONDS)) {
      reportProgress(start, seconds, recovered);
    }
    pool.shutdown();
    FleetCpu.Snapshot cpu1 = cpuSnapshot();
    progress.progress(Math.max(1, seconds), recovered.sum() + " ok");
    progress.phaseDone();
    Map<String, Long> counts = new TreeMap<>();
    outcomes.forEach((k, v) -> counts.put(k, v.sum()));
    double measured = (Math.max(end.get(), start) - start) / 1e9;
    FleetCpu.Usage used = cpu0 == null || cpu1 == null ? null : FleetCpu.between(cpu0, cpu1);
    return new Phase(name, c, rate, recovered.sum(), counts, latency, measured, used);
  }

  private void reportProgress(long start, long seconds, LongAdder recovered) {
    double elapsed = (System.nanoTime() - start) / 1e9;
    progress.progress(
        Math.min(seconds, (long) elapsed),
        String.format(
            java.util.Locale.ROOT,
            "%d ok, %.1f/s",
            recovered.sum(),
            recovered.sum() / Math.max(elapsed, 1e-3)));
  }

  /**
   * The fleet's CPU now, or null without a probe or when an endpoint fails (the figure is then left
   * out, loudly).
   */
  private FleetCpu.Snapshot cpuSnapshot() throws InterruptedException {
    if (fleetCpu == null) {
      return null;
    }
    try {
      return fleetCpu.read();
    } catch (java.io.IOException | RuntimeException e) {
      cpuError = "fleet CPU not read: " + e.getMessage();
      return null;
    }
  }

  /** Why the fleet's CPU could not be read, or null. */
  public String fleetCpuError() {
    return cpuError;
  }

  /**
   * One timed recovery phase.
   *
   * @param name unloaded, peak, half peak or recover
   * @param concurrency callers
   * @param rate recoveries started per second (open loop), 0 for a closed loop
   * @param recovered recoveries that returned the right secret
   * @param outcomes every outcome by name
   * @param latency latency of the successful recoveries (µs)
   * @param seconds length of the phase as measured
   * @param cpu the fleet's CPU during the phase, or null when not read
   */
  public record Phase(
      String name,
      int concurrency,
      double rate,
      long recovered,
      Map<String, Long> outcomes,
      Histogram latency,
      double seconds,
      FleetCpu.Usage cpu) {
    /** Successful recoveries per second. */
    public double throughput() {
      return seconds <= 0 ? 0 : recovered / seconds;
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger id = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + id.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
