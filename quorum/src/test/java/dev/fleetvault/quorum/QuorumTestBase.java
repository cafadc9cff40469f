package dev.fleetvault.quorum;

import static org.awaitility.Awaitility.await;

import dev.fleetvault.quorum.impl.DefaultQuorumNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.ProtocolStack;

/** Shared helpers for quorum tests: keys, signers, port blocks in 17000-18999, in-JVM clusters. */
public abstract class QuorumTestBase {
  protected static final String LOOPBACK = "127.0.0.1";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh P-256 key pair. */
  protected static KeyPair newKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A software {@link CommandSigner} (SHA256withECDSA, DER). */
  protected static CommandSigner signer(PrivateKey key) {
    return bytes -> CompletableFuture.supplyAsync(() -> signNow(key, bytes));
  }

  protected static byte[] signNow(PrivateKey key, byte[] bytes) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(bytes);
      return s.sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  protected static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  protected static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  protected static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  protected static <T> T join(CompletionStage<T> s) {
    try {
      return s.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Counts attempt {@code aid} on member {@code m}'s row for {@code user} against the row's current
   * version, digest and generation (read first through the log); for a row that holds none, version
   * 1, a zero digest and generation 1 (the ledger refuses such a row first).
   */
  protected static CompletionStage<LedgerResult<AttemptOutcome>> attemptAsync(
      MemberLedger m, String user, byte[] aid) {
    return m.readRow(user)
        .thenCompose(
            r -> {
              RowView row = r instanceof LedgerResult.Committed<RowView> c ? c.outcome() : null;
              long version = row == null || row.version() < 1 ? 1 : row.version();
              byte[] digest =
                  row == null || row.recordDigest().length != 32
                      ? new byte[32]
                      : row.recordDigest();
              long generation = row == null ? 1 : Math.max(1, row.generation());
              return m.attempt(user, version, digest, generation, aid);
            });
  }

  /** {@link #attemptAsync}, waited for. */
  protected static LedgerResult<AttemptOutcome> attemptNow(
      MemberLedger m, String user, byte[] aid) {
    return join(attemptAsync(m, user, aid));
  }

  /** Remaining guesses of an allowed attempt (from its witness). */
  protected static int remaining(LedgerResult<AttemptOutcome> r) {
    return ((AttemptOutcome.Allowed) r.value()).witness().guessesRemaining();
  }

  /** {@code count} free TCP ports in a random block of the quorum range 17000-18999. */
  protected static synchronized int[] freePorts(int count) {
    for (int tries = 0; tries < 200; tries++) {
      int base = 17000 + ThreadLocalRandom.current().nextInt((2000 - count) / 10) * 10;
      int[] ports = new int[count];
      boolean ok = true;
      for (int i = 0; i < count && ok; i++) {
        ports[i] = base + i;
        ok = isFree(ports[i]);
      }
      if (ok) return ports;
    }
    throw new IllegalStateException("no free port block in 17000-18999");
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Members with fresh keys on free loopback ports. */
  protected static List<QuorumMember> members(List<KeyPair> keys) {
    int[] ports = freePorts(keys.size() * 2);
    List<QuorumMember> ms = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++)
      ms.add(
          new QuorumMember(
              i + 1, LOOPBACK, ports[2 * i], ports[2 * i + 1], keys.get(i).getPublic()));
    return ms;
  }

  /** Test working directory under the module's build dir. */
  protected static Path workDir(String name) throws IOException {
    String build = System.getProperty("fleetvault.buildDir", "target");
    Path p = Path.of(build, "quorum-tests", name + "-" + System.nanoTime());
    Files.createDirectories(p);
    return p;
  }

  /** An in-JVM cluster whose nodes can be stopped and restarted. */
  protected static class Cluster implements AutoCloseable {
    final List<KeyPair> keys;
    final List<QuorumMember> members;
    final Path dir;
    final Duration timeout;
    final DefaultQuorumNode[] nodes;

    /** The fleet CA of this cluster's member TLS certificates (both quorum channels run TLS). */
    final TestPki pki = new TestPki("quorum test fleet CA");

    final List<TestPki.Identity> tls = new ArrayList<>();

    Cluster(int n, Path dir, Duration timeout) {
      this.keys = new ArrayList<>();
      for (int i = 0; i < n; i++) keys.add(newKey());
      this.members = members(keys);
      this.dir = dir;
      this.timeout = timeout;
      this.nodes = new DefaultQuorumNode[n];
      for (int i = 1; i <= n; i++) tls.add(pki.issue("m" + i));
    }

    /** The member names the fleet's certificates carry: m1..mn. */
    List<String> memberNames() {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= nodes.length; i++) names.add("m" + i);
      return names;
    }

    /** Member {@code id}'s channel security (its certificate from this cluster's CA). */
    ChannelSecurity security(int id) {
      return pki.security(tls.get(id - 1), memberNames());
    }

    QuorumConfig config(int id) {
      return QuorumConfig.of(id, 1L, members, LOOPBACK, dir.resolve("m" + id))
          .withRequestTimeout(timeout)
          .withStartTimeout(Duration.ofSeconds(90))
          .withChannelSecurity(security(id));
    }

    /** Starts the given member ids in parallel and waits for them. */
    Cluster start(int... ids) {
      List<CompletableFuture<QuorumNode>> fs = new ArrayList<>();
      for (int id : ids) fs.add(QuorumNode.startAsync(config(id)).toCompletableFuture());
      for (int i = 0; i < ids.length; i++) nodes[ids[i] - 1] = (DefaultQuorumNode) join(fs.get(i));
      return this;
    }

    Cluster startAll() {
      int[] ids = new int[nodes.length];
      for (int i = 0; i < ids.length; i++) ids[i] = i + 1;
      return start(ids);
    }

    DefaultQuorumNode node(int id) {
      return nodes[id - 1];
    }

    void stop(int id) {
      DefaultQuorumNode n = nodes[id - 1];
      nodes[id - 1] = null;
      if (n != null) n.close();
    }

    CommandSigner signer(int id) {
      return QuorumTestBase.signer(keys.get(id - 1).getPrivate());
    }

    MemberLedger memberLedger(int id) {
      return node(id).memberLedger(signer(id));
    }

    /** Waits until every running node sees a majority and a serving leader. */
    void awaitReady() {
      awaitReady(Duration.ofSeconds(60));
    }

    /** Waits up to {@code max} until every running node sees a majority and one leader serves. */
    void awaitReady(Duration max) {
      await()
          .atMost(max)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                boolean leaderServing = false;
                for (DefaultQuorumNode n : nodes) {
                  if (n == null) continue;
                  if (!n.majorityReachable()) return false;
                  if (n.raftLedger().servingAsLeader()) leaderServing = true;
                }
                return leaderServing;
              });
    }

    /**
     * Waits until all running nodes applied the same log prefix, then returns their state digests.
     */
    List<String> awaitConverged() {
      List<String> digests = new ArrayList<>();
      try {
        awaitConverged(digests);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("ledgers did not converge: " + describe(), e);
      }
      return digests;
    }

    String describe() {
      StringBuilder sb = new StringBuilder();
      for (DefaultQuorumNode n : nodes) {
        if (n == null) continue;
        var l = n.raftLedger();
        sb.append("\n  m")
            .append(n.config().memberId())
            .append(' ')
            .append(l.role())
            .append(" term=")
            .append(l.term())
            .append(" commit=")
            .append(l.commitIndex())
            .append(" last=")
            .append(l.lastAppended())
            .append(" log=")
            .append(
                l.channel().getProtocolStack().findProtocol(org.jgroups.protocols.raft.RAFT.class)
                        instanceof org.jgroups.protocols.raft.RAFT r
                    ? r.log().toString()
                    : "?")
            .append(" view=")
            .append(l.channel().getView())
            .append(" digest=")
            .append(hex(l.stateMachine().stateDigest()).substring(0, 12));
      }
      return sb.toString();
    }

    private void awaitConverged(List<String> digests) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                digests.clear();
                long commit = -1;
                for (DefaultQuorumNode n : nodes) {
                  if (n == null) continue;
                  long c = n.raftLedger().commitIndex();
                  if (commit >= 0 && c != commit) return false;
                  commit = c;
                  digests.add(hex(n.raftLedger().stateMachine().stateDigest()));
                }
                return digests.stream().distinct().count() == 1;
              });
    }

    @Override
    public void close() {
      List<Thread> ts = new ArrayList<>();
      for (int i = 0; i < nodes.length; i++) {
        DefaultQuorumNode n = nodes[i];
        nodes[i] = null;
        if (n != null) {
          Thread t = new Thread(n::close);
          t.start();
          ts.add(t);
        }
      }
      for (Thread t : ts) {
        try {
          t.join(30_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Isolates {@code node} by discarding everything on both its channels. */
  protected static void isolate(DefaultQuorumNode node) throws Exception {
    for (JChannel ch : List.of(node.raftLedger().channel(), node.recordStore().channel()))
      ch.getProtocolStack()
          .insertProtocol(new DISCARD().discardAll(true), ProtocolStack.Position.ABOVE, TCP.class);
  }

  /** Undoes {@link #isolate}. */
  protected static void heal(DefaultQuorumNode node) {
    for (JChannel ch : List.of(node.raftLedger().channel(), node.recordStore().channel()))
      ch.getProtocolStack().removeProtocol(DISCARD.class);
  }
}
