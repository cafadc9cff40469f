package dev.fleetvault.quorum.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.quorum.QuorumTestBase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Separate JVMs killed with SIGKILL: under load (a follower, then the leader), the whole cluster
 * with a large log (before and after snapshots, repeated), the sequence that breaks jgroups-raft
 * 1.1.4's FileBasedLog, and a node whose data directory is rolled back. No acknowledged attempt is
 * lost or counted twice; every node comes back with the full state and keeps committing.
 */
@Tag("process")
class CrashRestartTest extends QuorumTestBase {
  private static final Duration READY = Duration.ofSeconds(120);
  private static final Duration CALL = Duration.ofSeconds(60);

  private ProcessCluster cluster(String name, long snapshotBytes) throws Exception {
    return new ProcessCluster(3, workDir(name), freePorts(6), snapshotBytes, 4000);
  }

  /** Per-row bookkeeping of what the test sent and what was acknowledged. */
  private static final class Tally {
    final AtomicInteger sent = new AtomicInteger(),
        allowed = new AtomicInteger(),
        unknown = new AtomicInteger();
  }

  @Test
  @Timeout(420)
  void kill9_followerThenLeaderUnderLoad_noAcknowledgedAttemptLostOrCountedTwice()
      throws Exception {
    try (ProcessCluster c = cluster("kill-under-load", 16L << 20)) {
      c.startAll();
      c.awaitReady(READY);
      int users = 8;
      for (int m = 1; m <= 3; m++)
        for (int u = 0; u < users; u++)
          assertThat(c.call(m, "register u" + u + "m" + m + " 1 1000", CALL))
              .startsWith("ROW REGISTERED");
      Map<String, Tally> tallies = new ConcurrentHashMap<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> loaders = new ArrayList<>();
      for (int m = 1; m <= 3; m++) {
        int member = m;
        Thread t = new Thread(() -> load(c, member, users, tallies, stop), "load-m" + m);
        t.start();
        loaders.add(t);
      }
      Thread.sleep(3000);
      int leader = c.awaitReady(READY);
      int follower = leader == 1 ? 2 : 1;
      System.out.println("-- kill -9 follower m" + follower + " under load");
      c.kill9(follower);
      Thread.sleep(3000);
      System.out.println("-- restart m" + follower);
      c.start(follower);
      leader = c.awaitReady(READY);
      Thread.sleep(2000);
      System.out.println("-- kill -9 leader m" + leader + " under load");
      c.kill9(leader);
      Thread.sleep(3000);
      System.out.println("-- restart m" + leader);
      c.start(leader);
      c.awaitReady(READY);
      Thread.sleep(2000);
      stop.set(true);
      for (Thread t : loaders) t.join();
      c.awaitConverged(READY);

      int totalAllowed = 0, totalUnknown = 0;
      for (int m = 1; m <= 3; m++)
        for (int u = 0; u < users; u++) {
          Tally t = tallies.get(m + "/u" + u);
          if (t == null) continue;
          String[] row = c.call(m, "read u" + u + "m" + m + " " + m, CALL).split(" ");
          int attempts = Integer.parseInt(row[2]);
          assertThat(attempts)
              .as("row m%d/u%d: acknowledged attempts are never lost", m, u)
              .isGreaterThanOrEqualTo(t.allowed.get());
          assertThat(attempts)
              .as("row m%d/u%d: nothing counted twice", m, u)
              .isLessThanOrEqualTo(t.allowed.get() + t.unknown.get());
          totalAllowed += t.allowed.get();
          totalUnknown += t.unknown.get();
        }
      System.out.printf("acknowledged allowed=%d unknown=%d%n", totalAllowed, totalUnknown);
      assertThat(totalAllowed).isGreaterThan(100);
    }
  }

  private static void load(
      ProcessCluster c, int member, int users, Map<String, Tally> tallies, AtomicBoolean stop) {
    Semaphore window = new Semaphore(16);
    while (!stop.get()) {
      if (!c.running(member)) {
        sleep(50);
        continue;
      }
      int u = ThreadLocalRandom.current().nextInt(users);
      Tally t = tallies.computeIfAbsent(member + "/u" + u, k -> new Tally());
      byte[] aid = new byte[32];
      ThreadLocalRandom.current().nextBytes(aid);
      window.acquireUninterruptibly();
      t.sent.incrementAndGet();
      c.send(member, "attempt u" + u + "m" + member + " " + HexFormat.of().formatHex(aid))
          .whenComplete(
              (r, e) -> {
                window.release();
                if (r != null && r.startsWith("ALLOWED")) t.allowed.incrementAndGet();
                else t.unknown.incrementAndGet();
              });
    }
    window.acquireUninterruptibly(16);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs one burst on every node; returns {allowed, unknown} summed. */
  private static long[] burstAll(ProcessCluster c, String prefix, int users, int perUser)
      throws Exception {
    List<CompletableFuture<String>> fs = new ArrayList<>();
    for (int m = 1; m <= 3; m++)
      fs.add(c.send(m, "burst " + prefix + " " + users + " " + perUser + " 64"));
    long allowed = 0, unknown = 0;
    for (CompletableFuture<String> f : fs) {
      String[] r = f.get(300, java.util.concurrent.TimeUnit.SECONDS).split(" ");
      assertThat(r[0]).isEqualTo("BURST");
      allowed += Long.parseLong(r[1]);
      unknown += Long.parseLong(r[2]);
    }
    return new long[] {allowed, unknown};
  }

  private static long sumAttempts(ProcessCluster c, String prefix, int users) throws Exception {
    long sum = 0;
    for (int m = 1; m <= 3; m++) {
      String[] r = c.call(m, "sum " + prefix + " " + users, CALL).split(" ");
      assertThat(r[2]).as("all reads committed").isEqualTo("0");
      sum += Long.parseLong(r[1]);
    }
    return sum;
  }

  @Test
  @Timeout(480)
  void kill9_wholeClusterWithLargeLog_parallelRestartRestoresFullStateRepeatedly()
      throws Exception {
    try (ProcessCluster c = cluster("kill-all", 512 * 1024)) {
      c.startAll();
      c.awaitReady(READY);
      long expected = 0, slack = 0;
      int users = 40;
      int[] perUser = {
        8, 85, 85
      }; // first round before any snapshot (~1.2k entries), then ~22k entries across many snapshots
      for (int round = 0; round < perUser.length; round++) {
        String prefix = "r" + round;
        long[] b = burstAll(c, prefix, users, perUser[round]);
        expected += b[0];
        slack += b[1];
        String digest = c.awaitConverged(READY);
        String status = c.describe();
        System.out.println(
            "-- round " + round + ": " + b[0] + " attempts acknowledged; kill -9 all; " + status);
        c.kill9All();
        c.startAll();
        c.awaitReady(READY);
        String after = c.awaitConverged(READY);
        assertThat(after).as("state after full restart, round %d", round).isEqualTo(digest);
        long sum = 0;
        for (int r = 0; r <= round; r++) sum += sumAttempts(c, "r" + r, users);
        assertThat(sum).isBetween(expected, expected + slack);
      }
      // the log stayed bounded by snapshots
      for (int m = 1; m <= 3; m++) {
        long logSize = Long.parseLong(c.call(m, "status", CALL).split(" ")[5]);
        assertThat(logSize).as("m%d log entries after snapshots", m).isLessThan(20_000);
      }
    }
  }

  @Test
  @Timeout(420)
  void fileBasedLogBreakingSequence_everyNodeComesBackAndKeepsCommitting() throws Exception {
    try (ProcessCluster c = cluster("filebasedlog-sequence", 16L << 20)) {
      c.startAll();
      int leader = c.awaitReady(READY);
      burstAll(c, "a", 20, 5);
      c.awaitConverged(READY);
      int follower = leader == 3 ? 2 : 3;
      System.out.println("-- stop follower m" + follower);
      c.kill9(follower);
      c.awaitReady(READY);
      for (int m = 1; m <= 3; m++)
        if (m != follower)
          assertThat(c.call(m, "burst b" + m + " 20 20 32", Duration.ofSeconds(300)))
              .startsWith("BURST");
      leader = c.awaitReady(READY);
      System.out.println(
          "-- snapshot on leader m" + leader + ": " + c.call(leader, "snapshot", CALL));
      System.out.println("-- restart m" + follower + " (installs the snapshot)");
      c.start(follower);
      c.awaitReady(READY);
      c.awaitConverged(READY);
      String[] fs = c.call(follower, "status", CALL).split(" ");
      assertThat(Long.parseLong(fs[5]))
          .as("m%d installed the leader's snapshot (its log starts after it)", follower)
          .isLessThan(Long.parseLong(fs[4]));
      burstAll(c, "c", 20, 10);
      String digest = c.awaitConverged(READY);
      System.out.println("-- kill -9 all, restart: " + c.describe());
      c.kill9All();
      c.startAll();
      c.awaitReady(READY);
      assertThat(c.awaitConverged(READY)).isEqualTo(digest);
      long[] more = burstAll(c, "d", 20, 5);
      assertThat(more[0]).isEqualTo(3 * 20 * 5);
      c.awaitConverged(READY);
    }
  }

  @Test
  @Timeout(420)
  void rollback_restoredDataDir_regainsNoGuesses() throws Exception {
    try (ProcessCluster c = cluster("rollback", 16L << 20)) {
      c.startAll();
      c.awaitReady(READY);
      assertThat(c.call(1, "register gus 1 5", CALL)).startsWith("ROW REGISTERED");
      assertThat(c.call(1, "attempt gus " + hex(random(32)), CALL)).isEqualTo("ALLOWED 4");
      assertThat(c.call(1, "attempt gus " + hex(random(32)), CALL)).isEqualTo("ALLOWED 3");
      c.awaitConverged(READY);
      c.kill9(1);
      Path backup = c.dir.resolve("m1-backup");
      c.copyDataDir(1, backup);
      c.start(1);
      c.awaitReady(READY);
      assertThat(c.call(1, "attempt gus " + hex(random(32)), CALL)).isEqualTo("ALLOWED 2");
      assertThat(c.call(1, "attempt gus " + hex(random(32)), CALL)).isEqualTo("ALLOWED 1");
      c.awaitConverged(READY);
      System.out.println("-- roll m1's data directory back to 2 attempts and restart it");
      c.kill9(1);
      c.restoreDataDir(1, backup);
      c.start(1);
      c.awaitReady(READY);
      assertThat(c.call(1, "read gus 1", CALL)).isEqualTo("ROW REGISTERED 4 5");
      assertThat(c.call(1, "attempt gus " + hex(random(32)), CALL)).isEqualTo("ALLOWED 0");
      assertThat(c.call(1, "attempt gus " + hex(random(32)), CALL)).isEqualTo("REFUSED NO_GUESSES");
      c.awaitConverged(READY);
    }
  }
}
