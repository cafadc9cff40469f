package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.LedgerCommand;
import dev.fleetvault.quorum.SignedCommand;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Signature verdicts of member commands computed ahead of {@code apply}, on a small pool, as soon
 * as a replica learns an entry's bytes (the leader when it proposes, a follower when it appends).
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>A verdict is a pure function of the command's bytes ({@link #verdict}: strict parse, known
 *       epoch and member, ECDSA under that member's key): the same on every replica, whether
 *       computed ahead on the pool or inline on the apply thread. The cache is keyed by the
 *       <em>whole</em> signed envelope (canonical bytes and signature), so two different byte
 *       strings never share a verdict.
 *   <li>The apply thread only reads a verdict ({@link #take}); if none was computed ahead (evicted,
 *       or the entry came in a snapshot) it computes it itself. Nothing here changes what is
 *       applied.
 *   <li>Bounded: at most {@value #MAX_PENDING} verdicts are kept; the oldest are dropped first (the
 *       apply thread then verifies those inline).
 * </ul>
 */
final class SignatureVerdicts implements AutoCloseable {
  static final int MAX_PENDING = 65_536;

  /** Why a command is refused before its own rules are looked at, or {@link #VALID}. */
  enum Verdict {
    VALID,
    MALFORMED,
    UNKNOWN_EPOCH,
    UNKNOWN_MEMBER,
    BAD_SIGNATURE
  }

  private final CommandVerifier verifier;
  private final ExecutorService pool;
  private final ConcurrentHashMap<Key, CompletableFuture<Verdict>> ahead =
      new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Key> order = new ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger orderSize =
      new java.util.concurrent.atomic.AtomicInteger();

  SignatureVerdicts(CommandVerifier verifier, int threads) {
    this.verifier = verifier;
    this.pool =
        threads < 1
            ? null
            : Executors.newFixedThreadPool(threads, RaftLedger.daemon("quorum-verify"));
  }

  /**
   * The verdict for one signed envelope (pure: the same bytes give the same verdict everywhere).
   */
  Verdict verdict(byte[] envelope) {
    SignedCommand sc;
    LedgerCommand c;
    try {
      sc = SignedCommand.decode(envelope, 0, envelope.length);
      c = LedgerCommand.parse(sc.canonical());
    } catch (IllegalArgumentException e) {
      return Verdict.MALFORMED;
    }
    if (!verifier.knowsEpoch(c.epoch())) return Verdict.UNKNOWN_EPOCH;
    if (!verifier.knowsMember(c.epoch(), c.memberId())) return Verdict.UNKNOWN_MEMBER;
    return verifier.verify(c.epoch(), c.memberId(), sc.canonical(), sc.signature())
        ? Verdict.VALID
        : Verdict.BAD_SIGNATURE;
  }

  /**
   * Starts verifying, on the pool, every member command inside the log entry {@code entry} (a plain
   * command or a batch).
   */
  void prefetch(byte[] entry, int off, int len) {
    if (pool == null || len < 1) return;
    try {
      if (entry[off] == Entries.MEMBER_COMMAND) {
        prefetchEnvelope(Arrays.copyOfRange(entry, off + 1, off + len));
      } else if (entry[off] == Entries.BATCH) {
        for (byte[] inner : Entries.unbatch(entry, off, len))
          if (inner.length > 0 && inner[0] == Entries.MEMBER_COMMAND)
            prefetchEnvelope(Arrays.copyOfRange(inner, 1, inner.length));
      }
    } catch (IllegalArgumentException e) {
      // a malformed entry is refused by apply itself
    }
  }

  /**
   * Computes the verdict for {@code envelope} now (on the calling thread) and keeps it for this
   * replica's {@code apply}: the node that receives a command from its own member checks it before
   * proposing it, and the check is not repeated on the apply thread.
   */
  Verdict checkAndKeep(byte[] envelope) {
    Verdict v = verdict(envelope);
    keep(new Key(envelope), CompletableFuture.completedFuture(v));
    return v;
  }

  private boolean keep(Key k, CompletableFuture<Verdict> f) {
    if (ahead.putIfAbsent(k, f) != null) return false;
    order.add(k);
    // the queue also holds keys already taken; dropping its oldest key bounds both it and the map
    if (orderSize.incrementAndGet() > MAX_PENDING) {
      Key old = order.poll();
      if (old != null) {
        orderSize.decrementAndGet();
        if (!old.equals(k)) ahead.remove(old);
      }
    }
    return true;
  }

  private void prefetchEnvelope(byte[] envelope) {
    Key k = new Key(envelope);
    if (ahead.containsKey(k)) return;
    CompletableFuture<Verdict> f = new CompletableFuture<>();
    if (!keep(k, f)) return;
    try {
      pool.execute(
          () -> {
            try {
              f.complete(verdict(envelope));
            } catch (RuntimeException e) {
              f.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      ahead.remove(k, f);
    }
  }

  /**
   * The verdict for {@code envelope}: the one computed ahead if any (waiting for it), else computed
   * now.
   */
  Verdict take(byte[] envelope) {
    Key k = new Key(envelope);
    CompletableFuture<Verdict> f = ahead.remove(k);
    if (f != null) {
      try {
        return f.join();
      } catch (RuntimeException e) {
        // fall through: computed here
      }
    }
    return verdict(envelope);
  }

  /** Verdicts computed ahead and not yet taken (tests and diagnostics). */
  int pending() {
    return ahead.size();
  }

  @Override
  public void close() {
    if (pool != null) pool.shutdownNow();
    ahead.clear();
    order.clear();
  }

  /** Byte-string key (whole content, not a digest). */
  private record Key(byte[] bytes, int hash) {
    Key(byte[] bytes) {
      this(bytes, Arrays.hashCode(bytes));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "Key[" + bytes.length + " bytes]";
    }
  }
}
