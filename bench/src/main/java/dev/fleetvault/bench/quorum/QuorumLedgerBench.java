package dev.fleetvault.bench.quorum;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Committed attempts per second on a 3-node loopback cluster of separate processes, fsync on: one
 * client waiting per commit (window 1) and pipelined (window 256), sent on the leader and through a
 * follower; p50/p99 latency. Every attempt is a real member command (BC ECDSA signature made by the
 * member, verified by all three replicas, RocksDB log with synchronous writes), preceded by the
 * member's row read when its sequence is not known.
 *
 * <p>In the same run, first, the reference: a 3-process cluster of plain jgroups-raft 1.1.4 with a
 * trivial state machine ({@link RawRaftBenchNode}: same JGroups protocols, its own RAFT and file
 * log with fsync, entries of {@value #RAW_PAYLOAD} bytes) at the same windows on its leader. The
 * last lines give the ledger's rate as a fraction of the raw rate for each window (leader and
 * follower).
 *
 * <p>Run: {@code java -cp "bench/target/fleetvault-bench-*.jar:bench/target/lib/*"
 * dev.fleetvault.bench.quorum.QuorumLedgerBench [seconds] [basePort] [dir]} (defaults 15 s, ports
 * 18900-18908, a temp directory).
 */
public final class QuorumLedgerBench {
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int base = args.length > 1 ? Integer.parseInt(args[1]) : 18900;
    Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("quorum-bench");
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    List<KeyPair> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) keys.add(g.generateKeyPair());
    List<Proc> procs = new ArrayList<>();
    double[] raw = rawReference(seconds, base + 6, dir);
    try {
      for (int id = 1; id <= 3; id++) {
        StringBuilder sb = new StringBuilder("member=" + id + "\nmembers=3\n");
        for (int i = 1; i <= 3; i++) {
          sb.append("m").append(i).append(".cluster=").append(base + 2 * (i - 1)).append('\n');
          sb.append("m").append(i).append(".raft=").append(base + 2 * (i - 1) + 1).append('\n');
          sb.append("m")
              .append(i)
              .append(".pub=")
              .append(Base64.getEncoder().encodeToString(keys.get(i - 1).getPublic().getEncoded()))
              .append('\n');
        }
        sb.append("private=")
            .append(Base64.getEncoder().encodeToString(keys.get(id - 1).getPrivate().getEncoded()))
            .append('\n');
        sb.append("dataDir=").append(dir.resolve("m" + id).toAbsolutePath()).append('\n');
        Path props = dir.resolve("m" + id + ".properties");
        Files.writeString(props, sb.toString());
        procs.add(new Proc(id, dir, "m", QuorumBenchNode.class.getName(), props.toString()));
      }
      for (Proc p : procs) p.expect("STARTED");
      int leader = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (leader < 0 && System.nanoTime() < deadline) {
        boolean all = true;
        for (Proc p : procs) {
          String[] s = p.call("status").split(" ");
          if (!"true".equals(s[3])) all = false;
          else leader = Integer.parseInt(s[2]);
        }
        if (!all) leader = -1;
        Thread.sleep(200);
      }
      if (leader < 0) throw new IllegalStateException("cluster not ready");
      Proc lp = procs.get(leader - 1), fp = procs.get(leader == 1 ? 1 : 0);
      System.out.println("cluster ready; leader m" + leader + ", follower used m" + fp.id);
      int users = 2048;
      System.out.println(lp.call("prepare " + users));
      System.out.println(fp.call("prepare " + users));
      lp.call("run 64 3 " + users); // warm-up
      fp.call("run 64 3 " + users);
      String l1 = lp.call("run 1 " + seconds + " " + users),
          l256 = lp.call("run 256 " + seconds + " " + users);
      String f1 = fp.call("run 1 " + seconds + " " + users),
          f256 = fp.call("run 256 " + seconds + " " + users);
      System.out.println("ledger leader,   window 1:   " + l1);
      System.out.println("ledger leader,   window 256: " + l256);
      System.out.println("ledger follower, window 1:   " + f1);
      System.out.println("ledger follower, window 256: " + f256);
      System.out.printf(
          "ratio ledger/raw, window 1:   leader %.1f%%, follower %.1f%%%n",
          100 * rate(l1) / raw[0], 100 * rate(f1) / raw[0]);
      System.out.printf(
          "ratio ledger/raw, window 256: leader %.1f%%, follower %.1f%%%n",
          100 * rate(l256) / raw[1], 100 * rate(f256) / raw[1]);
      for (Proc p : procs) p.quit();
    } finally {
      for (Proc p : procs) p.process.destroyForcibly();
    }
  }

  static final int RAW_PAYLOAD = 320;

  /**
   * Runs the raw jgroups-raft cluster on ports {@code base..base+2}, returns its leader's rates at
   * windows 1 and 256.
   */
  private static double[] rawReference(int seconds, int base, Path dir) throws Exception {
    List<Proc> raw = new ArrayList<>();
    try {
      for (int id = 1; id <= 3; id++)
        raw.add(
            new Proc(
                id,
                dir,
                "raw",
                RawRaftBenchNode.class.getName(),
                Integer.toString(id),
                "3",
                Integer.toString(base),
                dir.resolve("raw" + id).toAbsolutePath().toString()));
      for (Proc p : raw) p.expect("STARTED");
      Proc leader = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (leader == null && System.nanoTime() < deadline) {
        for (Proc p : raw) if (p.call("status").startsWith("STATUS true")) leader = p;
        Thread.sleep(200);
      }
      if (leader == null)
        throw new IllegalStateException("raw jgroups-raft cluster elected no leader");
      leader.call("run 64 3 " + RAW_PAYLOAD); // warm-up
      String r1 = leader.call("run 1 " + seconds + " " + RAW_PAYLOAD),
          r256 = leader.call("run 256 " + seconds + " " + RAW_PAYLOAD);
      System.out.println("raw jgroups-raft leader, window 1:   " + r1);
      System.out.println("raw jgroups-raft leader, window 256: " + r256);
      for (Proc p : raw) p.quit();
      return new double[] {rate(r1), rate(r256)};
    } finally {
      for (Proc p : raw) p.process.destroyForcibly();
    }
  }

  /** The {@code rate=} figure of a RESULT line. */
  static double rate(String result) {
    for (String f : result.split(" "))
      if (f.startsWith("rate=")) return Double.parseDouble(f.substring(5, f.length() - 2));
    throw new IllegalArgumentException("no rate in " + result);
  }

  private static final class Proc {
    final int id;
    final Process process;
    final Writer in;
    final BufferedReader out;

    Proc(int id, Path dir, String prefix, String mainClass, String... args) throws Exception {
      this.id = id;
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx1g",
                  "-Dlogback.configurationFile=" + writeLogback(dir, prefix + id),
                  "-cp",
                  System.getProperty("java.class.path"),
                  mainClass));
      cmd.addAll(List.of(args));
      process =
          new ProcessBuilder(cmd)
              .redirectError(
                  ProcessBuilder.Redirect.appendTo(dir.resolve(prefix + id + ".stderr").toFile()))
              .start();
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Asks the process to close and exit (so that a flight recording started with it is written).
     */
    void quit() throws Exception {
      in.write("quit\n");
      in.flush();
      process.waitFor(20, TimeUnit.SECONDS);
    }

    private static String writeLogback(Path dir, String id) throws Exception {
      Path f = dir.resolve(id + "-logback.xml");
      Files.writeString(
          f,
          "<configuration><appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\"><file>"
              + dir.resolve(id + ".log")
              + "</file><encoder><pattern>%d %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>"
              + "</appender><logger name=\"dev.fleetvault\" level=\"INFO\"/><root level=\"WARN\"><appender-ref ref=\"F\"/></root></configuration>");
      return f.toString();
    }

    void expect(String prefix) throws Exception {
      String l;
      while ((l = out.readLine()) != null) if (l.startsWith(prefix)) return;
      throw new IllegalStateException("m" + id + " exited");
    }

    String call(String cmd) throws Exception {
      in.write(cmd + "\n");
      in.flush();
      String l = out.readLine();
      if (l == null) throw new IllegalStateException("m" + id + " exited");
      return l;
    }
  }
}
