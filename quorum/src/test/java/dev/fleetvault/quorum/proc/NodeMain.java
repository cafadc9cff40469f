package dev.fleetvault.quorum.proc;

import dev.fleetvault.quorum.AttemptOutcome;
import dev.fleetvault.quorum.CommandSigner;
import dev.fleetvault.quorum.LedgerResult;
import dev.fleetvault.quorum.MemberLedger;
import dev.fleetvault.quorum.QuorumConfig;
import dev.fleetvault.quorum.QuorumMember;
import dev.fleetvault.quorum.QuorumNode;
import dev.fleetvault.quorum.RowView;
import dev.fleetvault.quorum.impl.DefaultQuorumNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One quorum node in its own JVM for crash tests and the benchmark. Reads commands from stdin, one
 * per line {@code <id> <verb> args...}, answers {@code <id> <RESULT> ...} on stdout
 * (asynchronously). Configuration: a properties file (first argument) with {@code member}, {@code
 * members} (count), {@code m<i>.cluster}, {@code m<i>.raft}, {@code m<i>.pub} (base64 X.509),
 * {@code private} (base64 PKCS#8 of this member's key), {@code dataDir}, {@code snapshotBytes},
 * {@code timeoutMs}, {@code tls.key}, {@code tls.cert}, {@code tls.ca} (PEM files of the member's
 * channel TLS identity).
 */
public final class NodeMain {
  private static final PrintStream OUT =
      new PrintStream(
          new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
  private static final SecureRandom RND = new SecureRandom();

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
                      java.util.Base64.getDecoder().decode(p.getProperty("m" + i + ".pub"))))));
    PrivateKey priv =
        kf.generatePrivate(
            new PKCS8EncodedKeySpec(
                java.util.Base64.getDecoder().decode(p.getProperty("private"))));
    QuorumConfig cfg =
        QuorumConfig.of(me, 1L, members, "127.0.0.1", Path.of(p.getProperty("dataDir")))
            .withSnapshotLogBytes(Long.parseLong(p.getProperty("snapshotBytes", "16777216")))
            .withRequestTimeout(
                Duration.ofMillis(Long.parseLong(p.getProperty("timeoutMs", "5000"))))
            .withMaxInFlight(Integer.parseInt(p.getProperty("maxInFlight", "2048")))
            .withStartTimeout(Duration.ofSeconds(120))
            .withChannelSecurity(
                dev.fleetvault.quorum.ChannelSecurity.fromPemFiles(
                    Path.of(p.getProperty("tls.key")),
                    Path.of(p.getProperty("tls.cert")),
                    Path.of(p.getProperty("tls.ca")),
                    java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> "m" + i).toList()));
    DefaultQuorumNode node = (DefaultQuorumNode) QuorumNode.start(cfg);
    ExecutorService signers = Executors.newFixedThreadPool(2);
    CommandSigner signer =
        bytes ->
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    Signature s = Signature.getInstance("SHA256withECDSA");
                    s.initSign(priv);
                    s.update(bytes);
                    return s.sign();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                signers);
    MemberLedger ledger = node.memberLedger(signer);
    OUT.println("STARTED " + me);
    BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      String[] a = line.trim().split(" ");
      if (a.length < 2) continue;
      String id = a[0];
      try {
        handle(id, a, node, ledger, me);
      } catch (RuntimeException e) {
        OUT.println(id + " ERROR " + e);
      }
    }
    node.close();
    System.exit(0);
  }

  private static void handle(
      String id, String[] a, DefaultQuorumNode node, MemberLedger ledger, int me)
      throws RuntimeException {
    switch (a[1]) {
      case "register" ->
          ledger
              .register(a[2], Long.parseLong(a[3]), sha(a[2]), Integer.parseInt(a[4]))
              .thenAccept(res -> OUT.println(id + " " + describeRow(res)));
      case "attempt" ->
          attempt(ledger, a[2], HexFormat.of().parseHex(a[3]))
              .thenAccept(res -> OUT.println(id + " " + describeAttempt(res)));
      case "read" ->
          node.ledger()
              .readRow(a[2], Integer.parseInt(a[3]))
              .thenAccept(res -> OUT.println(id + " " + describeRow(res)));
      case "digest" ->
          OUT.println(
              id
                  + " DIGEST "
                  + node.raftLedger().commitIndex()
                  + " "
                  + HexFormat.of().formatHex(node.raftLedger().stateMachine().stateDigest()));
      case "status" ->
          OUT.println(
              id
                  + " STATUS "
                  + node.raftLedger().role()
                  + " "
                  + node.leader().map(String::valueOf).orElse("-")
                  + " "
                  + node.majorityReachable()
                  + " "
                  + node.raftLedger().commitIndex()
                  + " "
                  + node.raftLedger().logSize()
                  + " "
                  + node.raftLedger().stateMachine().rowCount());
      case "snapshot" -> {
        try {
          node.raftLedger().snapshot();
          OUT.println(id + " OK " + node.raftLedger().logSize());
        } catch (Exception e) {
          OUT.println(id + " ERROR " + e);
        }
      }
      case "burst" ->
          burst(
              id,
              ledger,
              a[2],
              Integer.parseInt(a[3]),
              Integer.parseInt(a[4]),
              Integer.parseInt(a[5]));
      case "sum" -> sum(id, node, a[2], Integer.parseInt(a[3]), me);
      case "records" -> OUT.println(id + " RECORDS " + node.records().available());
      case "put" ->
          node.records()
              .putIfAbsent(a[2], Long.parseLong(a[3]), me, a[4].getBytes(StandardCharsets.UTF_8))
              .whenComplete(
                  (prev, e) ->
                      OUT.println(
                          id
                              + (e != null
                                  ? " ERROR " + e
                                  : " PUT "
                                      + prev.map(b -> new String(b, StandardCharsets.UTF_8))
                                          .orElse("-"))));
      case "get" ->
          node.records()
              .get(a[2], Long.parseLong(a[3]), Integer.parseInt(a[4]))
              .whenComplete(
                  (v, e) ->
                      OUT.println(
                          id
                              + (e != null
                                  ? " ERROR " + e
                                  : " GOT "
                                      + v.map(b -> new String(b, StandardCharsets.UTF_8))
                                          .orElse("-"))));
      default -> OUT.println(id + " ERROR unknown verb " + a[1]);
    }
  }

  /** Reads the member's row, then counts {@code aid} against its version, digest and generation. */
  private static CompletionStage<LedgerResult<AttemptOutcome>> attempt(
      MemberLedger ledger, String user, byte[] aid) {
    return ledger
        .readRow(user)
        .thenCompose(
            r -> {
              RowView row = r instanceof LedgerResult.Committed<RowView> c ? c.outcome() : null;
              if (row == null)
                return CompletableFuture.completedFuture(r.<AttemptOutcome>castFailure());
              byte[] digest = row.recordDigest().length == 32 ? row.recordDigest() : new byte[32];
              return ledger.attempt(
                  user, Math.max(1, row.version()), digest, Math.max(1, row.generation()), aid);
            });
  }

  /**
   * Registers {@code users} rows {@code prefix-k} (limit 1000) then runs {@code perUser} attempts
   * on each, window {@code window}.
   */
  private static void burst(
      String id, MemberLedger ledger, String prefix, int users, int perUser, int window) {
    new Thread(
            () -> {
              Semaphore win = new Semaphore(window);
              AtomicLong allowed = new AtomicLong(),
                  unknown = new AtomicLong(),
                  refused = new AtomicLong();
              List<CompletableFuture<?>> all = new ArrayList<>();
              for (int u = 0; u < users; u++) {
                String user = prefix + "-" + u + "-m" + ledger.memberId();
                win.acquireUninterruptibly();
                CompletionStage<?> s =
                    ledger.register(user, 1, sha(user), 1000).whenComplete((x, e) -> win.release());
                all.add(s.toCompletableFuture());
              }
              CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
              all.clear();
              for (int i = 0; i < perUser; i++) {
                for (int u = 0; u < users; u++) {
                  String user = prefix + "-" + u + "-m" + ledger.memberId();
                  byte[] aid = new byte[32];
                  RND.nextBytes(aid);
                  win.acquireUninterruptibly();
                  all.add(
                      ledger
                          .attempt(user, 1, sha(user), 1, aid)
                          .whenComplete(
                              (res, e) -> {
                                win.release();
                                if (res instanceof LedgerResult.Committed<AttemptOutcome> c
                                    && c.outcome() instanceof AttemptOutcome.Allowed)
                                  allowed.incrementAndGet();
                                else if (res instanceof LedgerResult.Committed<AttemptOutcome>)
                                  refused.incrementAndGet();
                                else unknown.incrementAndGet();
                              })
                          .toCompletableFuture());
                }
              }
              CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
              OUT.println(
                  id + " BURST " + allowed.get() + " " + unknown.get() + " " + refused.get());
            },
            "burst-" + id)
        .start();
  }

  private static void sum(String id, DefaultQuorumNode node, String prefix, int users, int me) {
    List<CompletableFuture<LedgerResult<RowView>>> fs = new ArrayList<>();
    for (int u = 0; u < users; u++)
      fs.add(node.ledger().readRow(prefix + "-" + u + "-m" + me, me).toCompletableFuture());
    CompletableFuture.allOf(fs.toArray(new CompletableFuture[0]))
        .thenRun(
            () -> {
              long total = 0, failed = 0;
              for (CompletableFuture<LedgerResult<RowView>> f : fs) {
                LedgerResult<RowView> res = f.join();
                if (res.isCommitted()) total += res.value().fleetAttempts();
                else failed++;
              }
              OUT.println(id + " SUM " + total + " " + failed);
            });
  }

  private static String describeAttempt(LedgerResult<AttemptOutcome> r) {
    if (r instanceof LedgerResult.Committed<AttemptOutcome> c) {
      if (c.outcome() instanceof AttemptOutcome.Allowed a)
        return "ALLOWED " + a.witness().guessesRemaining();
      return "REFUSED " + ((AttemptOutcome.Refused) c.outcome()).state();
    }
    return describeFailure(r);
  }

  private static String describeRow(LedgerResult<RowView> r) {
    if (r instanceof LedgerResult.Committed<RowView> c)
      return "ROW "
          + c.outcome().state()
          + " "
          + c.outcome().fleetAttempts()
          + " "
          + c.outcome().sequence();
    return describeFailure(r);
  }

  private static String describeFailure(LedgerResult<?> r) {
    if (r instanceof LedgerResult.NoMajority) return "NOMAJORITY";
    if (r instanceof LedgerResult.Timeout) return "TIMEOUT";
    if (r instanceof LedgerResult.Rejected<?> rej) return "REJECTED " + rej.reason();
    return "UNKNOWN";
  }

  private static byte[] sha(String s) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
