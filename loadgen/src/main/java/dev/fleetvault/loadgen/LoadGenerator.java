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
 * Drives a fleet through the client SDK: registers {@link LoadOptions#users()} users (random 6-digit PIN,
 * random 32-byte secret each), then for {@link LoadOptions#duration()} keeps
 * {@link LoadOptions#concurrency()} recoveries in flight, round-robin over the users, checking every
 * recovered secret byte for byte. The crypto ceiling is measured first, on an idle fleet, in this process.
 *
 * <p>The PINs and secrets are synthetic benchmark data; they are never printed.
 */
public final class LoadGenerator {
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(5);

    private final FleetvaultClient client;
    private final LoadOptions options;
    private final ProgressListener progress;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param client   the client to drive (not closed here)
     * @param options  what to run
     * @param progress where progress goes
     */
    public LoadGenerator(FleetvaultClient client, LoadOptions options, ProgressListener progress) {
        this.client = client;
        this.options = options;
        this.progress = progress;
    }

    /** Runs ceiling, registration and the timed recovery phase; returns the report. */
    public LoadReport run() throws InterruptedException {
        progress.phase("crypto ceiling", 1, "step");
        CryptoCeiling.Result ceiling = CryptoCeiling.measure(options.fleetMembers(), options.cores(), options.ceilingMillisPerStep());
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
                return new LoadReport(options, 0, registerLatency, 0, Map.of("no users registered", 1L),
                    new Histogram(HIGHEST_MICROS, 3), 0, ceiling);
            }
            return recover(users, pins, secrets, ok, registered, registerLatency, ceiling);
        } finally {
            for (int i = 0; i < n; i++) {
                Arrays.fill(pins[i], '\0');
                Arrays.fill(secrets[i], (byte) 0);
            }
        }
    }

    private long register(String[] users, char[][] pins, byte[][] secrets, boolean[] ok, Histogram latency)
        throws InterruptedException {
        int n = users.length;
        progress.phase("register", n, "users");
        LongAdder done = new LongAdder();
        LongAdder good = new LongAdder();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.concurrency(), n), daemon("bench-register"));
        CountDownLatch all = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int u = i;
            pool.execute(() -> {
                long t0 = System.nanoTime();
                try (Pin pin = Pin.of(pins[u]); BackupSecret s = BackupSecret.copyOf(secrets[u])) {
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

    private LoadReport recover(String[] users, char[][] pins, byte[][] secrets, boolean[] ok, long registered,
        Histogram registerLatency, CryptoCeiling.Result ceiling) throws InterruptedException {
        int[] live = java.util.stream.IntStream.range(0, users.length).filter(i -> ok[i]).toArray();
        Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        LongAdder recovered = new LongAdder();
        AtomicInteger next = new AtomicInteger();
        long seconds = options.duration().toSeconds();
        progress.phase("recover", Math.max(1, seconds), "s");
        long start = System.nanoTime();
        long deadline = start + options.duration().toNanos();
        AtomicLong end = new AtomicLong();
        int c = options.concurrency();
        ExecutorService pool = Executors.newFixedThreadPool(c, daemon("bench-recover"));
        CountDownLatch finished = new CountDownLatch(c);
        for (int w = 0; w < c; w++) {
            pool.execute(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        int u = live[Math.floorMod(next.getAndIncrement(), live.length)];
                        long t0 = System.nanoTime();
                        String outcome;
                        try (Pin pin = Pin.of(pins[u])) {
                            RecoverResult r = client.blocking().recover(users[u], pin);
                            if (r instanceof RecoverResult.Recovered rec) {
                                try (BackupSecret s = rec.secret()) {
                                    if (s.contentEquals(secrets[u])) {
                                        latency.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - t0) / 1000));
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
                    }
                } finally {
                    end.accumulateAndGet(System.nanoTime(), Math::max);
                    finished.countDown();
                }
            });
        }
        while (!finished.await(250, TimeUnit.MILLISECONDS)) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            progress.progress(Math.min(seconds, (long) elapsed),
                String.format(java.util.Locale.ROOT, "%d ok, %.1f/s", recovered.sum(), recovered.sum() / Math.max(elapsed, 1e-3)));
        }
        pool.shutdown();
        progress.progress(Math.max(1, seconds), recovered.sum() + " ok");
        progress.phaseDone();
        Map<String, Long> counts = new TreeMap<>();
        outcomes.forEach((k, v) -> counts.put(k, v.sum()));
        double measured = (end.get() - start) / 1e9;
        return new LoadReport(options, registered, registerLatency, recovered.sum(), counts, latency, measured, ceiling);
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
