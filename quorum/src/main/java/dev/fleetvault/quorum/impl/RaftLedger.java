package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.CommandOutcome;
import dev.fleetvault.quorum.Ledger;
import dev.fleetvault.quorum.LedgerResult;
import dev.fleetvault.quorum.QuorumConfig;
import dev.fleetvault.quorum.QuorumMember;
import dev.fleetvault.quorum.RejectReason;
import dev.fleetvault.quorum.RowView;
import dev.fleetvault.quorum.SignedCommand;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.Role;
import org.jgroups.raft.RaftHandle;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.Util;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Ledger} of one node on jgroups-raft: a {@link RaftHandle} over its own channel with
 * {@link LedgerStateMachine} and {@link RocksDbLog}.
 *
 * <p>How a command travels: it gets a deadline, an in-flight permit and a <em>local waiter</em>
 * keyed by member id + request id; it is queued for the leader's next batch entry (group commit,
 * see {@link #propose}) if this node is the leader and has committed its own term's no-op,
 * otherwise forwarded (a plain message on the Raft channel) to the leader, which queues it. Reads
 * do not go through the log: see {@link #readRow} (read index). A try that meets "not
 * leader"/"busy" or no answer within {@value #TRY_MILLIS} ms is retried against the then-current
 * leader until the deadline; duplicates are harmless because commands are idempotent under their
 * request id and reads and no-ops have no effect.
 *
 * <p><b>Own replica only.</b> A request completes only from its local waiter, which only THIS
 * node's own {@link LedgerStateMachine} completes, from inside {@code apply}, with the answer it
 * computed for the entry (for a member command only once the command's signature verified, so a
 * forged entry with someone else's request id cannot complete it). Neither the leader's reply to a
 * forward ({@code FWD_RSP}, which anyone on the channel could forge: correlation ids are a counter)
 * nor RAFT's own completion of a proposal is ever used as a result: they are hints (not leader,
 * busy, sent) that only schedule re-tries. Public futures are completed on the ledger's callback
 * executor, never on JGroups or RAFT threads.
 */
public final class RaftLedger implements Ledger, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftLedger.class);
  static final long TRY_MILLIS = 1500;
  private static final byte FWD_REQ = 0x10, FWD_RSP = 0x11;

  /**
   * Read index: leader's confirmation round (ping/pong), a follower's request for a read index and
   * its answer.
   */
  private static final byte RI_PING = 0x12, RI_PONG = 0x13, RI_REQ = 0x14, RI_RSP = 0x15;

  private static final byte RSP_RESULT = 0, RSP_NOT_LEADER = 1, RSP_BUSY = 2;

  /** Leave head room below RAFT's processing queue (about 9k) which throws when full. */
  private static final int QUEUE_LIMIT = 6000;

  private final QuorumConfig cfg;
  private final JChannel channel;
  private final RaftHandle raft;
  private final LedgerStateMachine sm;
  private final ScheduledExecutorService timer;
  private final ExecutorService callbacks;
  private final ExecutorService replies;
  private final Semaphore inFlight;
  private final Map<Long, CompletableFuture<byte[]>> forwarded = new ConcurrentHashMap<>();

  /** Local waiters, completed only by this node's own state machine when it applies the entry. */
  private final Map<String, CompletableFuture<byte[]>> waiters = new ConcurrentHashMap<>();

  private final AtomicLong corr = new AtomicLong();
  private final java.util.Set<Request> active = ConcurrentHashMap.newKeySet();
  private final SecureRandom random = new SecureRandom();
  private volatile long servingTerm = -1;

  /** Leader side group commit: proposals waiting to be sent to RAFT as one batch entry. */
  private final java.util.concurrent.ConcurrentLinkedQueue<Proposal> proposals =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private final java.util.concurrent.atomic.AtomicInteger batchesInFlight =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicBoolean draining =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Batch entries proposed to RAFT and not yet completed; more proposals wait and go in the next
   * batch.
   */
  static final int MAX_BATCHES_IN_FLIGHT = 4;

  /** Largest batch entry (bytes), well below FRAG4's and RocksDB's comfortable sizes. */
  static final int MAX_BATCH_BYTES = 256 * 1024;

  private volatile boolean closed;

  RaftLedger(QuorumConfig cfg, JChannel channel, LedgerStateMachine sm) {
    this.cfg = cfg;
    this.channel = channel;
    this.sm = sm;
    this.raft = new RaftHandle(channel, sm);
    String tag = "m" + cfg.memberId();
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("quorum-timer-" + tag));
    this.callbacks = Executors.newFixedThreadPool(2, daemon("quorum-callback-" + tag));
    this.replies = Executors.newFixedThreadPool(2, daemon("quorum-reply-" + tag));
    this.inFlight = new Semaphore(cfg.maxInFlight());
    raft.addRoleListener(this::roleChanged);
    sm.listener(
        new LedgerStateMachine.Listener() {
          @Override
          public void commandApplied(int member, byte[] requestId, byte[] answer) {
            complete(commandKey(member, requestId), answer);
          }

          @Override
          public void readApplied(byte[] nonce, byte[] answer) {
            complete(readKey(nonce), answer);
          }

          @Override
          public void appliedThrough(long index) {
            applied(index);
          }
        });
    channel.setReceiver(
        new Receiver() {
          @Override
          public void receive(Message msg) {
            onMessage(msg);
          }

          @Override
          public void viewAccepted(View view) {
            LOG.debug("m{}: raft view {}", cfg.memberId(), view);
          }
        });
  }

  /** Connects the channel (joins the Raft group). */
  void connect(String cluster) throws Exception {
    channel.connect(cluster);
  }

  // ---------------------------------------------------------------- public API

  @Override
  public CompletionStage<LedgerResult<CommandOutcome>> submit(SignedCommand command) {
    String key;
    try {
      dev.fleetvault.quorum.LedgerCommand c =
          dev.fleetvault.quorum.LedgerCommand.parse(command.canonical());
      key = commandKey(c.memberId(), c.requestId());
      // refused before sending, as every replica would refuse it: such an entry never completes a
      // waiter
      // (only a verified command does), so the caller learns why here
      // the verdict is kept for this replica's apply, which then does not verify the same bytes
      // again
      switch (sm.verdicts().checkAndKeep(command.encode())) {
        case VALID -> {}
        case UNKNOWN_EPOCH -> {
          return CompletableFuture.completedFuture(
              new LedgerResult.Rejected<>(RejectReason.UNKNOWN_EPOCH, "epoch " + c.epoch()));
        }
        case UNKNOWN_MEMBER -> {
          return CompletableFuture.completedFuture(
              new LedgerResult.Rejected<>(RejectReason.UNKNOWN_MEMBER, "member " + c.memberId()));
        }
        case BAD_SIGNATURE -> {
          return CompletableFuture.completedFuture(
              new LedgerResult.Rejected<>(
                  RejectReason.BAD_SIGNATURE,
                  "signature does not verify for member " + c.memberId()));
        }
        default -> {
          return CompletableFuture.completedFuture(
              new LedgerResult.Rejected<>(RejectReason.MALFORMED, "command does not parse"));
        }
      }
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new LedgerResult.Rejected<>(RejectReason.MALFORMED, "command does not parse"));
    }
    return execute(Entries.memberCommand(command.encode()), key, Results::decodeCommand);
  }

  /**
   * A linearizable read that does not go through the log (read index, see docs/PROTOCOL.md "Ledger
   * reads"): the leader notes its commit index, then confirms that a majority still follows it in
   * its term with a round of pings sent after that; this node then waits until its OWN replica
   * applied at least that index and answers from its own state. On a follower the read index comes
   * from the node its Raft follows as leader, in its current term. Any doubt (no leader, a changed
   * term, no majority answer within {@value #TRY_MILLIS} ms) retries until the deadline and then
   * fails; nothing is ever answered from a replica that has not applied the confirmed index.
   */
  @Override
  public CompletionStage<LedgerResult<RowView>> readRow(String user, int memberId) {
    if (user.isEmpty()
        || user.getBytes(StandardCharsets.UTF_8).length > 256
        || memberId < 1
        || memberId > 255)
      return CompletableFuture.completedFuture(
          new LedgerResult.Rejected<>(RejectReason.MALFORMED, "bad user or member id"));
    if (closed)
      return CompletableFuture.completedFuture(
          new LedgerResult.Rejected<>(RejectReason.CLOSED, "node closed"));
    if (!inFlight.tryAcquire())
      return CompletableFuture.completedFuture(
          new LedgerResult.Rejected<>(
              RejectReason.OVERLOADED,
              "more than " + cfg.maxInFlight() + " ledger requests in flight on this node"));
    CompletableFuture<LedgerResult<RowView>> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + cfg.requestTimeout().toNanos();
    CompletableFuture<LedgerResult<RowView>> out = new CompletableFuture<>();
    result.whenComplete(
        (r, e) -> {
          inFlight.release();
          try {
            callbacks.execute(() -> out.complete(r)); // never completed on JGroups or RAFT threads
          } catch (java.util.concurrent.RejectedExecutionException closing) {
            out.complete(r);
          }
        });
    readTry(user, memberId, deadline, result);
    return out;
  }

  private void readTry(
      String user, int memberId, long deadline, CompletableFuture<LedgerResult<RowView>> result) {
    if (result.isDone()) return;
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (closed) {
      result.complete(new LedgerResult.Rejected<>(RejectReason.CLOSED, "node closed"));
      return;
    }
    if (remainingMs <= 0) {
      result.complete(
          majorityReachable() ? new LedgerResult.Timeout<>() : new LedgerResult.NoMajority<>());
      return;
    }
    Address leader = raft.leader();
    if (leader == null) {
      readLater(user, memberId, deadline, result, 20);
      return;
    }
    CompletableFuture<Long> index =
        leader.equals(channel.getAddress()) ? leaderReadIndex() : remoteReadIndex(leader);
    index
        .thenCompose(this::appliedThrough)
        .orTimeout(Math.min(TRY_MILLIS, remainingMs), TimeUnit.MILLISECONDS)
        .whenComplete(
            (idx, ex) -> {
              if (ex == null)
                result.complete(new LedgerResult.Committed<>(sm.localRow(user, memberId)));
              else readLater(user, memberId, deadline, result, 10);
            });
  }

  private void readLater(
      String user,
      int memberId,
      long deadline,
      CompletableFuture<LedgerResult<RowView>> result,
      long millis) {
    try {
      timer.schedule(
          () -> readTry(user, memberId, deadline, result), millis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      result.complete(new LedgerResult.Rejected<>(RejectReason.CLOSED, "node closed"));
    }
  }

  @Override
  public boolean countedLocally(String user, long version, byte[] attemptId) {
    return sm.countedLocally(user, version, attemptId);
  }

  @Override
  public boolean majorityReachable() {
    View v = channel.getView();
    return !closed && v != null && v.size() >= cfg.majority() && raft.leader() != null;
  }

  /** The Raft role of this node. */
  public String role() {
    String r = raft.raft().role();
    return r != null && r.startsWith("Fleet") ? r.substring("Fleet".length()) : r;
  }

  /** Whether this node is the leader and has committed an entry of its term. */
  public boolean servingAsLeader() {
    return raft.isLeader() && servingTerm == raft.currentTerm();
  }

  /** The leader's member id, if known. */
  public Optional<Integer> leaderId() {
    Address l = raft.leader();
    if (l == null) return Optional.empty();
    if (l instanceof ExtendedUUID u) {
      byte[] id = u.get(RAFT.raft_id_key);
      if (id != null) {
        String rid = Util.bytesToString(id);
        for (QuorumMember m : cfg.members()) if (m.raftId().equals(rid)) return Optional.of(m.id());
      }
    }
    return Optional.empty();
  }

  public long term() {
    return raft.currentTerm();
  }

  public long commitIndex() {
    return raft.commitIndex();
  }

  public long lastAppended() {
    return raft.lastApplied();
  }

  public long logSize() {
    return raft.logSize();
  }

  /** The state machine (tests and diagnostics). */
  public LedgerStateMachine stateMachine() {
    return sm;
  }

  /** The Raft channel (tests insert DISCARD here). */
  public JChannel channel() {
    return channel;
  }

  /** Forces a snapshot and log truncation now. */
  public void snapshot() throws Exception {
    raft.snapshot();
  }

  // ---------------------------------------------------------------- request execution

  static String commandKey(int member, byte[] requestId) {
    return "c" + member + ":" + java.util.HexFormat.of().formatHex(requestId);
  }

  static String readKey(byte[] nonce) {
    return "r:" + java.util.HexFormat.of().formatHex(nonce);
  }

  /** Called by the state machine (apply thread) with the answer this replica computed. */
  private void complete(String key, byte[] answer) {
    CompletableFuture<byte[]> w = waiters.get(key);
    if (w != null) w.complete(answer);
  }

  private <T> CompletionStage<LedgerResult<T>> execute(
      byte[] entry, String waiterKey, Function<byte[], LedgerResult<T>> decode) {
    if (closed)
      return CompletableFuture.completedFuture(
          new LedgerResult.Rejected<>(RejectReason.CLOSED, "node closed"));
    if (!inFlight.tryAcquire())
      return CompletableFuture.completedFuture(
          new LedgerResult.Rejected<>(
              RejectReason.OVERLOADED,
              "more than " + cfg.maxInFlight() + " ledger requests in flight on this node"));
    CompletableFuture<LedgerResult<T>> result = new CompletableFuture<>();
    Request req = new Request(entry, System.nanoTime() + cfg.requestTimeout().toNanos());
    CompletableFuture<byte[]> waiter =
        waiters.computeIfAbsent(waiterKey, k -> new CompletableFuture<>());
    waiter.whenComplete(
        (rsp, ex) -> {
          if (ex == null) req.done.complete(rsp);
        });
    active.add(req);
    req.done.whenComplete(
        (rsp, ex) -> {
          waiters.remove(waiterKey, waiter);
          active.remove(req);
          inFlight.release();
          LedgerResult<T> r;
          if (rsp != null) r = decode.apply(rsp);
          else if (closed) r = new LedgerResult.Rejected<>(RejectReason.CLOSED, "node closed");
          else
            r =
                majorityReachable()
                    ? new LedgerResult.Timeout<>()
                    : new LedgerResult.NoMajority<>();
          LedgerResult<T> fr = r;
          try {
            callbacks.execute(() -> result.complete(fr));
          } catch (java.util.concurrent.RejectedExecutionException e) {
            result.complete(fr);
          }
        });
    try {
      timer.schedule(
          () -> req.done.completeExceptionally(new java.util.concurrent.TimeoutException()),
          cfg.requestTimeout().toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      req.done.completeExceptionally(e);
      return result;
    }
    tryOnce(req);
    return result;
  }

  private static final class Request {
    final byte[] entry;
    final long deadline;
    final CompletableFuture<byte[]> done = new CompletableFuture<>();

    Request(byte[] entry, long deadline) {
      this.entry = entry;
      this.deadline = deadline;
    }
  }

  private void retryLater(Request req, long millis) {
    if (req.done.isDone() || closed) return;
    try {
      timer.schedule(() -> tryOnce(req), millis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      req.done.completeExceptionally(e);
    }
  }

  private void tryOnce(Request req) {
    if (req.done.isDone() || closed) return;
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(req.deadline - System.nanoTime());
    if (remainingMs <= 0) return; // the deadline timer completes it
    Address leader = raft.leader();
    if (leader == null) {
      retryLater(req, 20);
      return;
    }
    CompletableFuture<byte[]> attempt;
    if (leader.equals(channel.getAddress())) {
      if (!servingAsLeader() || raft.raft().processingQueueSize() > QUEUE_LIMIT) {
        retryLater(req, 5);
        return;
      }
      attempt = propose(req.entry);
    } else {
      attempt = forward(leader, req.entry);
    }
    CompletableFuture<byte[]> bounded =
        attempt.orTimeout(Math.min(TRY_MILLIS, remainingMs), TimeUnit.MILLISECONDS);
    bounded.whenComplete(
        (rsp, ex) -> {
          if (req.done.isDone()) return;
          if (ex == null) {
            // a hint only ("sent"/"committed there"): the result comes from this replica's own
            // apply;
            // if it does not come (e.g. a snapshot covered the entry) the entry is proposed again
            retryLater(req, TRY_MILLIS);
          } else {
            Throwable cause =
                ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null
                    ? ex.getCause()
                    : ex;
            retryLater(
                req,
                cause instanceof BusyException
                    ? 5
                    : cause instanceof java.util.concurrent.TimeoutException ? 0 : 10);
          }
        });
  }

  private static final class NotLeaderException extends Exception {
    private static final long serialVersionUID = 1L;

    NotLeaderException() {
      super(null, null, false, false);
    }
  }

  private static final class BusyException extends Exception {
    private static final long serialVersionUID = 1L;

    BusyException() {
      super(null, null, false, false);
    }
  }

  private CompletableFuture<byte[]> forward(Address leader, byte[] entry) {
    long id = corr.incrementAndGet();
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    forwarded.put(id, f);
    f.whenComplete((r, e) -> forwarded.remove(id));
    byte[] payload =
        ByteBuffer.allocate(1 + 8 + entry.length).put(FWD_REQ).putLong(id).put(entry).array();
    try {
      channel.send(new BytesMessage(leader, payload));
    } catch (Exception e) {
      f.completeExceptionally(new NotLeaderException());
    }
    return f;
  }

  private void onMessage(Message msg) {
    byte[] buf = msg.getArray();
    int off = msg.getOffset(), len = msg.getLength();
    if (buf == null || len < 9) return;
    ByteBuffer b = ByteBuffer.wrap(buf, off, len);
    byte kind = b.get();
    long id = b.getLong();
    if (kind == RI_PING && b.remaining() >= 8) {
      long term = b.getLong();
      // answered only for the leader this node follows, in its current term
      if (msg.getSrc() != null
          && msg.getSrc().equals(raft.leader())
          && term == raft.currentTerm()) {
        try {
          channel.send(
              new BytesMessage(
                  msg.getSrc(),
                  ByteBuffer.allocate(1 + 8 + 8).put(RI_PONG).putLong(id).putLong(term).array()));
        } catch (Exception e) {
          LOG.debug("m{}: read-index pong not sent: {}", cfg.memberId(), e.toString());
        }
      }
    } else if (kind == RI_PONG && b.remaining() >= 8) {
      onPong(msg.getSrc(), id, b.getLong());
    } else if (kind == RI_REQ) {
      if (msg.getSrc() != null) onReadIndexRequest(msg.getSrc(), id);
    } else if (kind == RI_RSP && b.remaining() >= 16) {
      if (msg.getSrc() != null) onReadIndexAnswer(msg.getSrc(), id, b.getLong(), b.getLong());
    } else if (kind == FWD_REQ) {
      byte[] entry = new byte[b.remaining()];
      b.get(entry);
      handleForwarded(msg.getSrc(), id, entry);
    } else if (kind == FWD_RSP && b.hasRemaining()) {
      byte code = b.get();
      CompletableFuture<byte[]> f = forwarded.get(id);
      if (f == null) return;
      if (code == RSP_RESULT) {
        f.complete(new byte[0]); // a hint ("proposed and committed there"), never a result
      } else {
        f.completeExceptionally(code == RSP_BUSY ? new BusyException() : new NotLeaderException());
      }
    }
  }

  private void handleForwarded(Address from, long id, byte[] entry) {
    if (closed) return;
    if (!servingAsLeader()) {
      reply(from, id, RSP_NOT_LEADER, null);
      return;
    }
    if (raft.raft().processingQueueSize() > QUEUE_LIMIT) {
      reply(from, id, RSP_BUSY, null);
      return;
    }
    propose(entry)
        .whenCompleteAsync(
            (rsp, ex) -> {
              if (ex == null && rsp != null) reply(from, id, RSP_RESULT, null);
              else
                reply(
                    from,
                    id,
                    ex instanceof BusyException
                            || ex != null && ex.getCause() instanceof BusyException
                        ? RSP_BUSY
                        : RSP_NOT_LEADER,
                    null);
            },
            replies);
  }

  // ---------------------------------------------------------------- group commit (leader)

  /**
   * One member command or read waiting on the leader to go into a batch; {@code done} is RAFT's
   * completion (a hint).
   */
  private record Proposal(byte[] entry, CompletableFuture<byte[]> done) {}

  /**
   * Queues {@code entry} (a member command or a read) for the next batch entry on this leader.
   * Signatures inside are verified ahead on the verification pool from now on. The future completes
   * when RAFT completed the batch (committed and applied here) or fails when RAFT refused it; as
   * every RAFT completion, a hint only.
   */
  private CompletableFuture<byte[]> propose(byte[] entry) {
    sm.verdicts().prefetch(entry, 0, entry.length);
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    proposals.add(new Proposal(entry, f));
    drain();
    return f;
  }

  /**
   * Sends queued proposals to RAFT: one batch entry per call of RAFT while fewer than {@value
   * #MAX_BATCHES_IN_FLIGHT} batches are in flight. An idle leader thus proposes a lone entry at
   * once (as its own entry, no batch wrapper); a busy one gathers everything that arrived meanwhile
   * into one entry.
   */
  private void drain() {
    for (; ; ) {
      if (!draining.compareAndSet(false, true)) return;
      try {
        while (batchesInFlight.get() < MAX_BATCHES_IN_FLIGHT && !proposals.isEmpty()) sendBatch();
      } finally {
        draining.set(false);
      }
      if (proposals.isEmpty() || batchesInFlight.get() >= MAX_BATCHES_IN_FLIGHT) return;
    }
  }

  private void sendBatch() {
    java.util.List<Proposal> batch = new java.util.ArrayList<>();
    int bytes = 3;
    Proposal p;
    while (batch.size() < Entries.MAX_BATCH
        && (p = proposals.peek()) != null
        && (batch.isEmpty() || bytes + 4 + p.entry().length <= MAX_BATCH_BYTES)) {
      proposals.poll();
      batch.add(p);
      bytes += 4 + p.entry().length;
    }
    if (batch.isEmpty()) return;
    byte[] entry =
        batch.size() == 1
            ? batch.get(0).entry()
            : Entries.batch(batch.stream().map(Proposal::entry).toList());
    CompletableFuture<byte[]> r;
    try {
      if (closed || !servingAsLeader()) throw new IllegalStateException("not leader");
      if (raft.raft().processingQueueSize() > QUEUE_LIMIT) {
        for (Proposal q : batch) q.done().completeExceptionally(new BusyException());
        return;
      }
      r = raft.raft().setAsync(entry, 0, entry.length, null);
    } catch (RuntimeException e) {
      for (Proposal q : batch) q.done().completeExceptionally(new NotLeaderException());
      return;
    }
    batchesInFlight.incrementAndGet();
    r.whenComplete(
        (v, ex) -> {
          batchesInFlight.decrementAndGet();
          for (Proposal q : batch) {
            if (ex == null) q.done().complete(v == null ? new byte[0] : v);
            else q.done().completeExceptionally(ex);
          }
          drain();
        });
  }

  private void reply(Address to, long id, byte code, byte[] rsp) {
    int n = rsp == null ? 0 : rsp.length;
    byte[] payload =
        ByteBuffer.allocate(1 + 8 + 1 + n)
            .put(FWD_RSP)
            .putLong(id)
            .put(code)
            .put(rsp == null ? new byte[0] : rsp)
            .array();
    try {
      channel.send(new BytesMessage(to, payload));
    } catch (Exception e) {
      LOG.debug("m{}: cannot answer forwarded request: {}", cfg.memberId(), e.toString());
    }
  }

  // ---------------------------------------------------------------- leadership

  private void roleChanged(Role role) {
    LOG.info("m{}: raft role {} (term {})", cfg.memberId(), role, raft.currentTerm());
    if (role == Role.Leader) {
      long term = raft.currentTerm();
      try {
        timer.execute(() -> commitNoop(term));
      } catch (java.util.concurrent.RejectedExecutionException ignored) {
        // closing
      }
    }
  }

  /** A new leader commits a no-op of its own term before it serves (jgroups-raft does not). */
  private void commitNoop(long term) {
    if (closed || !raft.isLeader() || raft.currentTerm() != term) return;
    byte[] noop = Entries.noop(term);
    CompletableFuture<byte[]> f;
    try {
      f = raft.raft().setAsync(noop, 0, noop.length, null);
    } catch (RuntimeException e) {
      timer.schedule(() -> commitNoop(term), 50, TimeUnit.MILLISECONDS);
      return;
    }
    f.orTimeout(TRY_MILLIS, TimeUnit.MILLISECONDS)
        .whenComplete(
            (r, ex) -> {
              if (ex == null && raft.isLeader() && raft.currentTerm() == term) {
                servingTerm = term;
                LOG.info("m{}: leader serving in term {}", cfg.memberId(), term);
              } else if (!closed && raft.isLeader() && raft.currentTerm() == term) {
                try {
                  timer.schedule(() -> commitNoop(term), 50, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException ignored) {
                  // closing
                }
              }
            });
  }

  // ---------------------------------------------------------------- read index

  /**
   * One leadership confirmation round of the leader: the reads waiting for it and the members that
   * answered.
   */
  private static final class Round {
    final long id, term, readIndex;
    final java.util.List<CompletableFuture<Long>> reads;
    final java.util.Set<String> acks = new java.util.HashSet<>();

    Round(long id, long term, long readIndex, java.util.List<CompletableFuture<Long>> reads) {
      this.id = id;
      this.term = term;
      this.readIndex = readIndex;
      this.reads = reads;
    }
  }

  private final java.util.concurrent.ConcurrentLinkedQueue<CompletableFuture<Long>> readsWaiting =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private Round round; // guarded by this
  private final Map<Long, CompletableFuture<Long>> remoteReads = new ConcurrentHashMap<>();

  /** Reads waiting for this replica to apply up to an index, by index. */
  private final java.util.concurrent.ConcurrentSkipListMap<
          Long, java.util.List<CompletableFuture<Long>>>
      applyWaiters = new java.util.concurrent.ConcurrentSkipListMap<>();

  /**
   * On the leader: a read index confirmed by a majority. Reads that arrive while a round is out
   * wait for the next one (one round serves them all), so the index they get was noted after they
   * arrived.
   */
  CompletableFuture<Long> leaderReadIndex() {
    CompletableFuture<Long> f = new CompletableFuture<>();
    if (!servingAsLeader()) {
      f.completeExceptionally(new NotLeaderException());
      return f;
    }
    readsWaiting.add(f);
    startRound();
    return f;
  }

  private synchronized void startRound() {
    if (round != null || readsWaiting.isEmpty() || closed) return;
    java.util.List<CompletableFuture<Long>> reads = new java.util.ArrayList<>();
    for (CompletableFuture<Long> f; (f = readsWaiting.poll()) != null; ) reads.add(f);
    long term = raft.currentTerm();
    if (!raft.isLeader() || servingTerm != term) {
      for (CompletableFuture<Long> f : reads) f.completeExceptionally(new NotLeaderException());
      return;
    }
    // the index is noted BEFORE the pings go out: a majority answering them proves this node was
    // still the
    // leader of `term` after every read of this round arrived, so nothing newer than `readIndex`
    // was committed then
    Round r = new Round(random.nextLong(), term, raft.commitIndex(), reads);
    round = r;
    if (cfg.majority() <= 1) {
      finishRound(r);
      return;
    }
    byte[] ping = ByteBuffer.allocate(1 + 8 + 8).put(RI_PING).putLong(r.id).putLong(term).array();
    View v = channel.getView();
    if (v != null)
      for (Address a : v.getMembers())
        if (!a.equals(channel.getAddress())) {
          try {
            channel.send(new BytesMessage(a, ping));
          } catch (Exception e) {
            LOG.debug("m{}: read-index ping not sent: {}", cfg.memberId(), e.toString());
          }
        }
    try {
      timer.schedule(() -> failRound(r), TRY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      failRound(r);
    }
  }

  private synchronized void onPong(Address from, long id, long term) {
    Round r = round;
    if (r == null || r.id != id || r.term != term) return;
    String rid = org.jgroups.raft.util.Utils.extractRaftId(from);
    if (rid == null
        || rid.equals(cfg.self().raftId())
        || cfg.members().stream().noneMatch(m -> m.raftId().equals(rid))) return;
    r.acks.add(rid);
    if (r.acks.size() + 1 >= cfg.majority()) finishRound(r);
  }

  private synchronized void finishRound(Round r) {
    if (round != r) return;
    round = null;
    boolean still = raft.isLeader() && raft.currentTerm() == r.term;
    for (CompletableFuture<Long> f : r.reads) {
      if (still) f.complete(r.readIndex);
      else f.completeExceptionally(new NotLeaderException());
    }
    startRound();
  }

  private synchronized void failRound(Round r) {
    if (round != r) return;
    round = null;
    for (CompletableFuture<Long> f : r.reads)
      f.completeExceptionally(new java.util.concurrent.TimeoutException());
    startRound();
  }

  /**
   * On a follower: asks the node its Raft follows for a read index; only that node's answer in this
   * term counts.
   */
  private CompletableFuture<Long> remoteReadIndex(Address leader) {
    long id = random.nextLong();
    CompletableFuture<Long> f = new CompletableFuture<>();
    remoteReads.put(id, f);
    f.whenComplete((x, e) -> remoteReads.remove(id));
    try {
      channel.send(
          new BytesMessage(leader, ByteBuffer.allocate(1 + 8).put(RI_REQ).putLong(id).array()));
    } catch (Exception e) {
      f.completeExceptionally(new NotLeaderException());
    }
    return f;
  }

  private void onReadIndexRequest(Address from, long id) {
    leaderReadIndex()
        .whenComplete(
            (idx, ex) -> {
              long term = raft.currentTerm();
              byte[] rsp =
                  ByteBuffer.allocate(1 + 8 + 8 + 8)
                      .put(RI_RSP)
                      .putLong(id)
                      .putLong(term)
                      .putLong(ex == null ? idx : -1)
                      .array();
              try {
                channel.send(new BytesMessage(from, rsp));
              } catch (Exception e) {
                LOG.debug("m{}: read-index answer not sent: {}", cfg.memberId(), e.toString());
              }
            });
  }

  private void onReadIndexAnswer(Address from, long id, long term, long index) {
    CompletableFuture<Long> f = remoteReads.get(id);
    if (f == null) return;
    // the same authority this follower gives to AppendEntries: the node it follows, in its current
    // term
    if (!from.equals(raft.leader()) || term != raft.currentTerm()) return;
    if (index < 0) f.completeExceptionally(new NotLeaderException());
    else f.complete(index);
  }

  /** Completes once this node's own replica has applied at least {@code index}. */
  private CompletableFuture<Long> appliedThrough(long index) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    // RAFT moves its commit index only after applying the entries (or installing a snapshot) up to
    // it: a lower
    // bound of what this replica applied (RaftHandle.lastApplied() is the last APPENDED index, not
    // used here)
    if (raft.commitIndex() >= index) {
      f.complete(index);
      return f;
    }
    applyWaiters
        .computeIfAbsent(index, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(f);
    applied(raft.commitIndex()); // it may have been applied meanwhile
    return f;
  }

  /**
   * Called after this replica applied through {@code index} (apply thread): releases the reads
   * waiting for it.
   */
  void applied(long index) {
    if (applyWaiters.isEmpty()) return;
    var head = applyWaiters.headMap(index, true);
    for (var e : head.entrySet()) {
      for (CompletableFuture<Long> f : e.getValue()) f.complete(e.getKey());
      head.remove(e.getKey(), e.getValue());
    }
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    Util.close(channel);
    for (Proposal p; (p = proposals.poll()) != null; )
      p.done().completeExceptionally(new NotLeaderException());
    sm.close();
    timer.shutdownNow();
    replies.shutdownNow();
    for (CompletableFuture<byte[]> f : forwarded.values())
      f.completeExceptionally(new NotLeaderException());
    for (Request r : active) r.done.completeExceptionally(new IllegalStateException("closed"));
    callbacks.shutdown();
    try {
      callbacks.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
