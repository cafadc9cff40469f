package dev.fleetvault.quorum.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fleet of {@link NodeMain} processes on loopback, each with its own data directory, that can be
 * killed with SIGKILL ({@link Process#destroyForcibly()}) and restarted on the same directory.
 */
final class ProcessCluster implements AutoCloseable {
  /** Answer given to requests pending on a node that was killed. */
  static final String KILLED = "KILLED";

  final int n;
  final Path dir;
  private final List<KeyPair> keys = new ArrayList<>();
  private final int[] ports;
  private final long snapshotBytes;
  private final long timeoutMs;
  private final Node[] nodes;
  private final AtomicLong ids = new AtomicLong();
  private final List<Path[]> tlsFiles = new ArrayList<>();

  ProcessCluster(int n, Path dir, int[] ports, long snapshotBytes, long timeoutMs)
      throws Exception {
    this.n = n;
    this.dir = dir;
    this.ports = ports;
    this.snapshotBytes = snapshotBytes;
    this.timeoutMs = timeoutMs;
    this.nodes = new Node[n];
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    for (int i = 0; i < n; i++) keys.add(g.generateKeyPair());
    dev.fleetvault.quorum.TestPki pki = new dev.fleetvault.quorum.TestPki("process cluster CA");
    for (int id = 1; id <= n; id++)
      tlsFiles.add(pki.writePem(pki.issue("m" + id), dir.resolve("pki")));
    for (int id = 1; id <= n; id++) writeConfig(id);
  }

  Path dataDir(int id) {
    return dir.resolve("m" + id + "-data");
  }

  private void writeConfig(int id) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("member=").append(id).append('\n').append("members=").append(n).append('\n');
    for (int i = 1; i <= n; i++) {
      sb.append("m").append(i).append(".cluster=").append(ports[2 * (i - 1)]).append('\n');
      sb.append("m").append(i).append(".raft=").append(ports[2 * (i - 1) + 1]).append('\n');
      sb.append("m")
          .append(i)
          .append(".pub=")
          .append(Base64.getEncoder().encodeToString(keys.get(i - 1).getPublic().getEncoded()))
          .append('\n');
    }
    sb.append("private=")
        .append(Base64.getEncoder().encodeToString(keys.get(id - 1).getPrivate().getEncoded()))
        .append('\n');
    sb.append("dataDir=").append(dataDir(id).toAbsolutePath()).append('\n');
    Path[] tls = tlsFiles.get(id - 1);
    sb.append("tls.key=").append(tls[0].toAbsolutePath()).append('\n');
    sb.append("tls.cert=").append(tls[1].toAbsolutePath()).append('\n');
    sb.append("tls.ca=").append(tls[2].toAbsolutePath()).append('\n');
    sb.append("snapshotBytes=").append(snapshotBytes).append('\n');
    sb.append("timeoutMs=").append(timeoutMs).append('\n');
    Files.writeString(dir.resolve("m" + id + ".properties"), sb.toString());
    Files.writeString(
        dir.resolve("m" + id + "-logback.xml"),
        """
                <configuration>
                  <appender name="F" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file><append>true</append>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level [%%thread] %%logger{20} - %%msg%%n</pattern></encoder>
                  </appender>
                  <logger name="org.infinispan" level="WARN"/>
                  <logger name="org.jgroups" level="WARN"/>
                  <logger name="dev.fleetvault" level="INFO"/>
                  <root level="WARN"><appender-ref ref="F"/></root>
                </configuration>
                """
            .formatted(dir.resolve("m" + id + ".log").toAbsolutePath()));
  }

  /** Starts the given members in parallel and waits until each printed STARTED (i.e. joined). */
  void start(int... memberIds) throws Exception {
    for (int id : memberIds) nodes[id - 1] = new Node(id);
    for (int id : memberIds) nodes[id - 1].awaitStarted();
  }

  void startAll() throws Exception {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) all[i] = i + 1;
    start(all);
  }

  boolean running(int id) {
    Node node = nodes[id - 1];
    return node != null && node.process.isAlive();
  }

  /** SIGKILL. */
  void kill9(int id) throws InterruptedException {
    Node node = nodes[id - 1];
    nodes[id - 1] = null;
    if (node != null) node.kill();
  }

  void kill9All() throws InterruptedException {
    for (int id = 1; id <= n; id++) kill9(id);
  }

  /**
   * Sends one command; the future completes with the answer (without the id) or {@link #KILLED}.
   */
  CompletableFuture<String> send(int id, String command) {
    Node node = nodes[id - 1];
    if (node == null) return CompletableFuture.completedFuture(KILLED);
    return node.send(ids.incrementAndGet() + " " + command);
  }

  String call(int id, String command, Duration timeout) throws Exception {
    return send(id, command).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Waits until every running node sees a majority and a leader; returns the leader's member id.
   */
  int awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      int leader = -1;
      boolean all = true;
      for (int id = 1; id <= n; id++) {
        if (!running(id)) continue;
        String[] s = call(id, "status", Duration.ofSeconds(30)).split(" ");
        // STATUS role leader majority commit logSize rows
        if (!"true".equals(s[3]) || "-".equals(s[2])) all = false;
        else leader = Integer.parseInt(s[2]);
      }
      if (all && leader > 0) return leader;
      Thread.sleep(200);
    }
    throw new AssertionError("cluster not ready within " + timeout + ": " + describe());
  }

  /**
   * Waits until all running nodes report the same commit index and state digest; returns the
   * digest.
   */
  String awaitConverged(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      List<String> ds = new ArrayList<>();
      for (int id = 1; id <= n; id++)
        if (running(id)) ds.add(call(id, "digest", Duration.ofSeconds(30)));
      last = String.join(" | ", ds);
      if (ds.stream().distinct().count() == 1) return ds.get(0).split(" ")[2];
      Thread.sleep(250);
    }
    throw new AssertionError("ledgers did not converge within " + timeout + ": " + last);
  }

  String describe() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int id = 1; id <= n; id++)
      sb.append(" m")
          .append(id)
          .append(": ")
          .append(running(id) ? call(id, "status", Duration.ofSeconds(30)) : "down");
    return sb.toString();
  }

  void copyDataDir(int id, Path to) throws IOException {
    copyTree(dataDir(id), to);
  }

  void restoreDataDir(int id, Path from) throws IOException {
    deleteTree(dataDir(id));
    copyTree(from, dataDir(id));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t);
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill9All();
  }

  private final class Node {
    final int id;
    final Process process;
    final Writer in;
    final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    final CountDownLatch started = new CountDownLatch(1);

    Node(int id) throws IOException {
      this.id = id;
      String cp =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      List<String> cmd =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx768m",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "-Dlogback.configurationFile="
                  + dir.resolve("m" + id + "-logback.xml").toAbsolutePath(),
              "-cp",
              cp,
              NodeMain.class.getName(),
              dir.resolve("m" + id + ".properties").toAbsolutePath().toString());
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectError(
                  ProcessBuilder.Redirect.appendTo(dir.resolve("m" + id + ".stderr").toFile()));
      process = pb.start();
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(this::readLoop, "proc-reader-m" + id);
      reader.setDaemon(true);
      reader.start();
    }

    void awaitStarted() throws InterruptedException {
      if (!started.await(150, TimeUnit.SECONDS) || !process.isAlive())
        throw new AssertionError(
            "m" + id + " did not start; see " + dir.resolve("m" + id + ".log"));
    }

    private void readLoop() {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("STARTED")) {
            started.countDown();
            continue;
          }
          int sp = line.indexOf(' ');
          if (sp < 0) continue;
          CompletableFuture<String> f = pending.remove(line.substring(0, sp));
          if (f != null) f.complete(line.substring(sp + 1));
        }
      } catch (IOException ignored) {
        // process gone
      }
      failPending();
    }

    private void failPending() {
      for (String k : List.copyOf(pending.keySet())) {
        CompletableFuture<String> f = pending.remove(k);
        if (f != null) f.complete(KILLED);
      }
    }

    synchronized CompletableFuture<String> send(String line) {
      CompletableFuture<String> f = new CompletableFuture<>();
      String id = line.substring(0, line.indexOf(' '));
      pending.put(id, f);
      try {
        in.write(line);
        in.write('\n');
        in.flush();
      } catch (IOException e) {
        pending.remove(id);
        f.complete(KILLED);
      }
      return f;
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      failPending();
    }
  }
}
