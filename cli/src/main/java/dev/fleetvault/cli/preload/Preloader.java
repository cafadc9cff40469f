package dev.fleetvault.cli.preload;

import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Registers a range of a {@link Population} through the client SDK (the full protocol: the same
 * requests, ledger commands, sealed records and sizes an app's registration produces) with {@code
 * concurrency} callers, and recovers random samples of it, checking every recovered secret byte for
 * byte.
 *
 * <p>Grow a population with disjoint ranges ({@code --from} = the previous {@code --to});
 * registering an index again goes through whatever the protocol does for a re-registration (not
 * measured here).
 */
public final class Preloader {
  /** Receives progress (called from one thread at most every {@code interval}). */
  public interface Progress {
    /**
     * {@code done} of {@code total} finished, {@code ok} of them succeeded, after {@code seconds}.
     */
    void update(String phase, long done, long ok, long total, double seconds);
  }

  /** What a phase did. */
  public record Result(
      long attempted,
      long ok,
      double seconds,
      Map<String, Long> outcomes,
      long[] latencyMicrosSorted) {
    /** Successful operations per second. */
    public double rate() {
      return seconds <= 0 ? 0 : ok / seconds;
    }

    /**
     * The q-quantile (0..1) of the successful operations' latency in milliseconds, or 0 if none.
     */
    public double latencyMillis(double q) {
      if (latencyMicrosSorted.length == 0) return 0;
      int i =
          (int)
              Math.min(
                  latencyMicrosSorted.length - 1, Math.ceil(q * latencyMicrosSorted.length) - 1);
      return latencyMicrosSorted[Math.max(0, i)] / 1000.0;
    }
  }

  private final FleetvaultClient client;
  private final Population population;
  private final int concurrency;
  private final int guessLimit;
  private final Progress progress;

  /**
   * @param client the client (not closed here)
   * @param population whose users to register and recover
   * @param concurrency callers in flight, 1..1024
   * @param guessLimit the guess limit of each registration
   * @param progress where progress goes
   */
  public Preloader(
      FleetvaultClient client,
      Population population,
      int concurrency,
      int guessLimit,
      Progress progress) {
    if (concurrency < 1 || concurrency > 1024)
      throw new IllegalArgumentException("concurrency must be 1..1024");
    this.client = client;
    this.population = population;
    this.concurrency = concurrency;
    this.guessLimit = guessLimit;
    this.progress = progress;
  }

  /** Registers indices {@code from .. to-1}. */
  public Result register(long from, long to) throws InterruptedException {
    if (from < 0 || to < from)
      throw new IllegalArgumentException("bad index range " + from + ".." + to);
    AtomicLong next = new AtomicLong(from);
    return run(
        "register",
        to - from,
        () -> {
          long i = next.getAndIncrement();
          return i < to ? i : -1;
        },
        i -> {
          char[] p = population.pin(i);
          byte[] s = population.secret(i);
          try (Pin pin = Pin.of(p);
              BackupSecret secret = BackupSecret.copyOf(s)) {
            RegisterResult r =
                client.blocking().register(population.user(i), pin, secret, guessLimit);
            return r instanceof RegisterResult.Registered ? null : r.getClass().getSimpleName();
          } finally {
            Arrays.fill(p, '\0');
            Arrays.fill(s, (byte) 0);
          }
        });
  }

  /**
   * Recovers {@code count} distinct indices drawn uniformly (with {@code randomSeed}) from {@code 0
   * .. populationSize-1}. Distinct, because two concurrent recoveries of one user race for that
   * user's ledger row (one of them may be told to retry), which is not what a scale sample
   * measures.
   */
  public Result recoverSample(long populationSize, int count, long randomSeed)
      throws InterruptedException {
    if (populationSize < 1 || count < 0 || count > populationSize)
      throw new IllegalArgumentException("sample must be 0..population");
    long[] picks = distinct(populationSize, count, new SplittableRandom(randomSeed));
    AtomicInteger next = new AtomicInteger();
    return run(
        "recover",
        count,
        () -> {
          int k = next.getAndIncrement();
          return k < picks.length ? picks[k] : -1;
        },
        i -> {
          char[] p = population.pin(i);
          byte[] s = population.secret(i);
          try (Pin pin = Pin.of(p)) {
            RecoverResult r = client.blocking().recover(population.user(i), pin);
            if (!(r instanceof RecoverResult.Recovered rec)) return r.getClass().getSimpleName();
            try (BackupSecret got = rec.secret()) {
              return got.contentEquals(s) ? null : "Recovered-but-different";
            }
          } finally {
            Arrays.fill(p, '\0');
            Arrays.fill(s, (byte) 0);
          }
        });
  }

  /** {@code count} distinct values of {@code 0 .. bound-1} (Floyd's algorithm), in random order. */
  static long[] distinct(long bound, int count, SplittableRandom random) {
    java.util.LinkedHashSet<Long> chosen = new java.util.LinkedHashSet<>();
    for (long j = bound - count; j < bound; j++) {
      long t = random.nextLong(j + 1);
      if (!chosen.add(t)) chosen.add(j);
    }
    long[] out = chosen.stream().mapToLong(Long::longValue).toArray();
    for (int i = out.length - 1; i > 0; i--) {
      int k = random.nextInt(i + 1);
      long x = out[i];
      out[i] = out[k];
      out[k] = x;
    }
    return out;
  }

  private interface Source {
    long next();
  }

  private interface Op {
    /** null on success, else the outcome's name. */
    String run(long index);
  }

  private Result run(String phase, long total, Source source, Op op) throws InterruptedException {
    LongAdder done = new LongAdder(), ok = new LongAdder();
    Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    long[] lat = new long[(int) Math.min(total, 1_000_000)];
    AtomicInteger latN = new AtomicInteger();
    AtomicInteger id = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "preload-" + phase + "-" + id.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    long start = System.nanoTime();
    for (int w = 0; w < concurrency; w++) {
      pool.execute(
          () -> {
            for (long i = source.next(); i >= 0; i = source.next()) {
              long t0 = System.nanoTime();
              String outcome;
              try {
                outcome = op.run(i);
              } catch (RuntimeException e) {
                outcome = "error:" + e.getClass().getSimpleName();
              }
              if (outcome == null) {
                ok.increment();
                int k = latN.getAndIncrement();
                if (k < lat.length) lat[k] = (System.nanoTime() - t0) / 1000;
                outcome = "ok";
              }
              outcomes.computeIfAbsent(outcome, x -> new LongAdder()).increment();
              done.increment();
            }
          });
    }
    pool.shutdown();
    while (!pool.awaitTermination(2, TimeUnit.SECONDS))
      progress.update(phase, done.sum(), ok.sum(), total, (System.nanoTime() - start) / 1e9);
    double seconds = (System.nanoTime() - start) / 1e9;
    progress.update(phase, done.sum(), ok.sum(), total, seconds);
    Map<String, Long> counts = new TreeMap<>();
    outcomes.forEach((k, v) -> counts.put(k, v.sum()));
    long[] sorted = Arrays.copyOf(lat, Math.min(latN.get(), lat.length));
    Arrays.sort(sorted);
    return new Result(done.sum(), ok.sum(), seconds, counts, sorted);
  }
}
