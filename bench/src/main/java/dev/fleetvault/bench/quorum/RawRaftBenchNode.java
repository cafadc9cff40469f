package dev.fleetvault.bench.quorum;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.jgroups.JChannel;
import org.jgroups.raft.RaftHandle;
import org.jgroups.raft.StateMachine;

/**
 * One process of the reference cluster: plain jgroups-raft 1.1.4 ({@code raft.RAFT}, its default
 * file log with fsync) with a trivial state machine (a counter), the same JGroups protocols as the
 * ledger's Raft channel but plain TCP. Arguments: {@code member members basePort dataDir}; ports
 * {@code basePort + i - 1}. Commands on stdin: {@code status} ({@code STATUS <isLeader>}), {@code
 * run <window> <seconds> <payloadBytes>} (proposes on this node, which must be the leader), {@code
 * quit}.
 */
public final class RawRaftBenchNode {
  private static final PrintStream OUT =
      new PrintStream(
          new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

  /** The trivial state machine: counts applied entries, answers nothing. */
  static final class Counter implements StateMachine {
    private long applied;

    @Override
    public byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
      applied++;
      return null;
    }

    @Override
    public void readContentFrom(DataInput in) throws Exception {
      applied = in.readLong();
    }

    @Override
    public void writeContentTo(DataOutput out) throws Exception {
      out.writeLong(applied);
    }
  }

  public static void main(String[] args) throws Exception {
    int me = Integer.parseInt(args[0]),
        n = Integer.parseInt(args[1]),
        base = Integer.parseInt(args[2]);
    StringBuilder hosts = new StringBuilder(), members = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      if (i > 1) {
        hosts.append(',');
        members.append(',');
      }
      hosts.append("127.0.0.1[").append(base + i - 1).append(']');
      members.append("raw").append(i);
    }
    String xml;
    try (InputStream in = RawRaftBenchNode.class.getResourceAsStream("raw-raft-tcp.xml")) {
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    xml =
        xml.replace("${port}", Integer.toString(base + me - 1))
            .replace("${initial_hosts}", hosts)
            .replace("${members}", members)
            .replace("${raft_id}", "raw" + me)
            .replace("${log_dir}", args[3]);
    JChannel ch = new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    RaftHandle raft = new RaftHandle(ch, new Counter());
    ch.connect("raw-raft-bench");
    OUT.println("STARTED");
    BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      String[] a = line.trim().split(" ");
      switch (a[0]) {
        case "status" -> OUT.println("STATUS " + raft.isLeader() + " " + (raft.leader() != null));
        case "run" ->
            OUT.println(
                run(raft, Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3])));
        case "quit" -> {
          ch.close();
          System.exit(0);
        }
        default -> OUT.println("ERROR " + line);
      }
    }
    ch.close();
    System.exit(0);
  }

  private static String run(RaftHandle raft, int window, int seconds, int size) {
    Histogram h = new Histogram(60_000_000_000L, 3);
    AtomicLong ok = new AtomicLong(), failed = new AtomicLong();
    Semaphore w = new Semaphore(window);
    long start = System.nanoTime(), end = start + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      w.acquireUninterruptibly();
      byte[] payload = new byte[size];
      ThreadLocalRandom.current().nextBytes(payload);
      long t0 = System.nanoTime();
      CompletableFuture<byte[]> f;
      try {
        f = raft.setAsync(payload, 0, payload.length);
      } catch (Exception e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete(
          (res, e) -> {
            if (e == null) {
              ok.incrementAndGet();
              synchronized (h) {
                h.recordValue(System.nanoTime() - t0);
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
}
