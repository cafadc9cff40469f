package dev.fleetvault.bench.scale;

import dev.fleetvault.protocol.flow.LedgerKeys;
import dev.fleetvault.quorum.LedgerCommand;
import dev.fleetvault.quorum.LedgerReplica;
import dev.fleetvault.quorum.QuorumMember;
import dev.fleetvault.quorum.SignedCommand;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * What N registered users cost one ledger replica: fills a {@link LedgerReplica} with exactly the
 * entries N registrations commit (one signed {@code REGISTER} per member per user, ledger keys as
 * the gateway forms them, applied through {@code apply}, so every signature is verified as in the
 * fleet), then measures the replica's heap (after GC), the snapshot RAFT writes ({@code
 * writeContentTo}: bytes, seconds) and installing that snapshot in a fresh replica ({@code
 * readContentFrom}, which verifies every signed command: what each member does at start-up).
 *
 * <p>Usage: {@code LedgerScaleBench N [members=3] [dir=tmp]}. The snapshot file is deleted at the
 * end. Figures are per replica; the local fleet runs {@code members} replicas in one JVM.
 */
public final class LedgerScaleBench {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");

  private LedgerScaleBench() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int members = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = args.length > 2 ? Path.of(args[2]) : Path.of(System.getProperty("java.io.tmpdir"));
    int threads = Runtime.getRuntime().availableProcessors();

    List<QuorumMember> qm = new ArrayList<>();
    List<ECPrivateKeyParameters> keys = new ArrayList<>();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    ECDomainParameters dom =
        new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());
    for (int m = 1; m <= members; m++) {
      KeyPair kp = g.generateKeyPair();
      qm.add(new QuorumMember(m, "127.0.0.1", 1, 2, kp.getPublic()));
      keys.add(new ECPrivateKeyParameters(((ECPrivateKey) kp.getPrivate()).getS(), dom));
    }
    LedgerReplica sm = LedgerReplica.forEpoch(1L, qm);
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long heap0 = usedHeap(mem);

    // signing is the benchmark's own cost (the HSM's in the fleet): done in parallel, in batches
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    java.lang.management.ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long t0 = System.nanoTime(), applyNanos = 0, applyCpu = 0;
    int batch = 10_000;
    for (int from = 0; from < n; from += batch) {
      int to = Math.min(n, from + batch);
      List<Future<byte[][]>> parts = new ArrayList<>();
      for (int i = from; i < to; i++) {
        int u = i;
        parts.add(pool.submit(() -> entries(u, members, keys)));
      }
      for (Future<byte[][]> f : parts) {
        byte[][] es = f.get();
        long a = System.nanoTime(), ac = cpu.getCurrentThreadCpuTime();
        for (byte[] e : es) {
          byte[] answer = sm.apply(e);
          if (answer[0] != 0)
            throw new IllegalStateException(
                "REGISTER refused: " + new String(answer, StandardCharsets.UTF_8));
        }
        applyNanos += System.nanoTime() - a;
        applyCpu += cpu.getCurrentThreadCpuTime() - ac;
      }
      if ((to / batch) % 10 == 0 || to == n)
        System.err.printf(
            Locale.ROOT, "filled %d/%d users, %.0f s%n", to, n, (System.nanoTime() - t0) / 1e9);
    }
    pool.shutdown();
    if (sm.rowCount() != n * members || sm.registrationCount() != n)
      throw new IllegalStateException(
          "expected "
              + n * members
              + " rows and "
              + n
              + " registrations, got "
              + sm.rowCount()
              + " and "
              + sm.registrationCount());
    long heap1 = usedHeap(mem);

    Path snap = Files.createTempFile(dir, "ledger-scale", ".snapshot");
    try {
      long w0 = System.nanoTime();
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(snap), 1 << 20))) {
        sm.writeSnapshot(out);
      }
      double writeS = (System.nanoTime() - w0) / 1e9;
      long snapBytes = Files.size(snap);
      sm = null;
      long heap2 = usedHeap(mem);

      LedgerReplica fresh = LedgerReplica.forEpoch(1L, qm);
      long r0 = System.nanoTime(), rc = cpu.getCurrentThreadCpuTime();
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(snap), 1 << 20))) {
        fresh.readSnapshot(in);
      }
      double readS = (System.nanoTime() - r0) / 1e9,
          readCpu = (cpu.getCurrentThreadCpuTime() - rc) / 1e9;
      long heap3 = usedHeap(mem);
      if (fresh.rowCount() != n * members) throw new IllegalStateException("snapshot lost rows");

      double perUserHeap = (heap1 - heap0) / (double) n;
      System.out.printf(
          Locale.ROOT,
          "ledger scale: %d users x %d members = %d rows, %d registrations (one replica)%n",
          n,
          members,
          n * members,
          n);
      System.out.printf(
          Locale.ROOT,
          "  apply (verify + state): %.1f s wall, %.1f s CPU = %.0f users per CPU-second (%d threads signed in parallel, not counted)%n",
          applyNanos / 1e9,
          applyCpu / 1e9,
          n / (applyCpu / 1e9),
          threads);
      System.out.printf(
          Locale.ROOT,
          "  heap: %.0f bytes/user/replica (%.1f MB used after GC, %.1f MB after dropping it)%n",
          perUserHeap,
          heap1 / 1e6,
          heap2 / 1e6);
      System.out.printf(
          Locale.ROOT,
          "  snapshot write: %d bytes = %.0f bytes/user, %.2f s%n",
          snapBytes,
          snapBytes / (double) n,
          writeS);
      System.out.printf(
          Locale.ROOT,
          "  snapshot install (verifies every signed command, one thread): %.1f s wall, %.1f s CPU = %.0f users per CPU-second%n",
          readS,
          readCpu,
          n / readCpu);
      System.out.printf(
          Locale.ROOT,
          "  heap after install (no answer cache): %.0f bytes/user/replica%n",
          (heap3 - heap2) / (double) n);
      System.out.printf(
          Locale.ROOT,
          "  at 10M users: heap %.1f GB/replica, snapshot %.1f GB/replica, install %.0f CPU-s/replica%n",
          perUserHeap * 1e7 / 1e9,
          snapBytes / (double) n * 1e7 / 1e9,
          readCpu / n * 1e7);
    } finally {
      Files.deleteIfExists(snap);
    }
  }

  /**
   * The entries user {@code u}'s registration commits: one signed REGISTER per member, as {@code
   * Entries} encodes them.
   */
  private static byte[][] entries(int u, int members, List<ECPrivateKeyParameters> keys)
      throws Exception {
    String user = LedgerKeys.of("dev-app", ("scale-user-" + u).getBytes(StandardCharsets.UTF_8));
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest(("record " + u).getBytes(StandardCharsets.UTF_8));
    byte[][] out = new byte[members][];
    for (int m = 1; m <= members; m++) {
      byte[] rid = ByteBuffer.allocate(LedgerCommand.REQUEST_ID_LEN).putInt(u).putInt(m).array();
      LedgerCommand c = LedgerCommand.register(1L, m, user, 1, rid, 1, digest, 10);
      byte[] canonical = c.canonicalBytes();
      DSADigestSigner s =
          new DSADigestSigner(
              new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest())),
              new SHA256Digest(),
              StandardDSAEncoding.INSTANCE);
      s.init(true, keys.get(m - 1));
      s.update(canonical, 0, canonical.length);
      byte[] env = new SignedCommand(canonical, s.generateSignature()).encode();
      out[m - 1] = ByteBuffer.allocate(1 + env.length).put((byte) 1).put(env).array();
    }
    return out;
  }

  private static long usedHeap(MemoryMXBean mem) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return mem.getHeapMemoryUsage().getUsed();
  }
}
