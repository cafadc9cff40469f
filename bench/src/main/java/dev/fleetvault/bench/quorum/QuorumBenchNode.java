package dev.fleetvault.bench.quorum;

import dev.fleetvault.quorum.AttemptOutcome;
import dev.fleetvault.quorum.LedgerResult;
import dev.fleetvault.quorum.MemberLedger;
import dev.fleetvault.quorum.QuorumConfig;
import dev.fleetvault.quorum.QuorumMember;
import dev.fleetvault.quorum.QuorumNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One benchmark node process: a real {@link QuorumNode} (RocksDB log with fsync, Infinispan) whose
 * member runs attempt loops on request. Commands on stdin: {@code status}, {@code prepare <users>},
 * {@code run <window> <seconds> <users>}; answers on stdout.
 */
public final class QuorumBenchNode {
  private static final PrintStream OUT =
      new PrintStream(
          new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(Path.of(args[0]))) {
      p.load(in);
    }
    int me = Integer.parseInt(p.getProperty("member"));
    int n = Integer.parseInt(p.getProperty("members"));
    KeyFactory kf = KeyFactory.getInstance("EC");
    List<QuorumMember> members = new ArrayList<>();
    for (int i = 1; i <= n; i++)
      members.add(
          new QuorumMember(
              i,
              "127.0.0.1",
              Integer.parseInt(p.getProperty("m" + i + ".cluster")),
              Integer.parseInt(p.getProperty("m" + i + ".raft")),
              kf.generatePublic(
                  new X509EncodedKeySpec(
                      Base64.getDecoder().decode(p.getProperty("m" + i + ".pub"))))));
    ECPrivateKey priv =
        (ECPrivateKey)
            kf.generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(p.getProperty("private"))));
    QuorumConfig cfg =
        QuorumConfig.of(me, 1L, members, "127.0.0.1", Path.of(p.getProperty("dataDir")))
            .withMaxInFlight(4096)
            .withSnapshotLogBytes(64L << 20);
    // both quorum channels on TLS, as in production: development PKI shared by the bench's nodes
    Path pki = Path.of(p.getProperty("dataDir")).toAbsolutePath().getParent().resolve("pki");
    var tls = dev.fleetvault.gateway.peer.DevPki.ensure(pki, "m" + me, List.of("127.0.0.1"));
    cfg =
        cfg.withChannelSecurity(
            dev.fleetvault.quorum.ChannelSecurity.fromPemFiles(
                tls.key(),
                tls.cert(),
                tls.caCert(),
                java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> "m" + i).toList()));
    QuorumNode node = QuorumNode.start(cfg);
    MemberLedger ledger = node.memberLedger(new BcSigner(priv, Executors.newFixedThreadPool(2)));
    OUT.println("STARTED");
    BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      String[] a = line.trim().split(" ");
      switch (a[0]) {
        case "status" ->
            OUT.println(
                "STATUS "
                    + node.status().role()
                    + " "
                    + node.leader().map(String::valueOf).orElse("-")
                    + " "
                    + node.majorityReachable());
        case "prepare" -> {
          int users = Integer.parseInt(a[1]);
          List<CompletableFuture<?>> fs = new ArrayList<>();
          Semaphore w = new Semaphore(64);
          for (int u = 0; u < users; u++) {
            w.acquireUninterruptibly();
            fs.add(
                ledger
                    .register("bench-" + u, 1, sha("bench-" + u), 1000)
                    .whenComplete((x, e) -> w.release())
                    .toCompletableFuture());
          }
          CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).join();
          OUT.println("PREPARED " + users);
        }
        case "run" ->
            OUT.println(
                run(
                    ledger,
                    Integer.parseInt(a[1]),
                    Integer.parseInt(a[2]),
                    Integer.parseInt(a[3])));
        case "quit" -> {
          node.close();
          System.exit(0);
        }
        default -> OUT.println("ERROR " + line);
      }
    }
    node.close();
    System.exit(0);
  }

  /**
   * Attempts on {@code users} rows with {@code window} outstanding for {@code seconds}; each row's
   * guess limit is refreshed by a new registration when low.
   */
  private static String run(MemberLedger ledger, int window, int seconds, int users) {
    Histogram h = new Histogram(60_000_000_000L, 3);
    AtomicLong ok = new AtomicLong(), failed = new AtomicLong();
    Semaphore w = new Semaphore(window);
    long[] version = new long[users];
    java.util.Arrays.fill(version, 1);
    int[] used = new int[users];
    long start = System.nanoTime(), end = start + seconds * 1_000_000_000L;
    int next = 0;
    while (System.nanoTime() < end) {
      w.acquireUninterruptibly();
      int u = next++ % users;
      String user = "bench-" + u;
      CompletableFuture<?> f;
      long t0 = System.nanoTime();
      if (++used[u]
          >= 990) { // keep the row far from its limit: re-register (also a committed command)
        used[u] = 0;
        f = ledger.register(user, ++version[u], sha(user), 1000).toCompletableFuture();
      } else {
        byte[] aid = new byte[32];
        ThreadLocalRandom.current().nextBytes(aid);
        f = ledger.attempt(user, version[u], sha(user), 1, aid).toCompletableFuture();
      }
      f.whenComplete(
          (res, e) -> {
            long dt = System.nanoTime() - t0;
            if (res instanceof LedgerResult.Committed<?> c
                && !(c.outcome() instanceof AttemptOutcome.Refused)) {
              ok.incrementAndGet();
              synchronized (h) {
                h.recordValue(dt);
              }
            } else {
              failed.incrementAndGet();
            }
            w.release();
          });
    }
    w.acquireUninterruptibly(window);
    double secs = (System.nanoTime() - start) / 1e9;
    synchronized (h) {
      return String.format(
          "RESULT ok=%d failed=%d rate=%.0f/s p50=%.2fms p99=%.2fms max=%.1fms",
          ok.get(),
          failed.get(),
          ok.get() / secs,
          h.getValueAtPercentile(50) / 1e6,
          h.getValueAtPercentile(99) / 1e6,
          h.getMaxValue() / 1e6);
    }
  }

  private static byte[] sha(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
