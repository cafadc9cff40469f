package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.CommandSigner;
import dev.fleetvault.quorum.Ledger;
import dev.fleetvault.quorum.MemberLedger;
import dev.fleetvault.quorum.QuorumConfig;
import dev.fleetvault.quorum.QuorumNode;
import dev.fleetvault.quorum.QuorumStartException;
import dev.fleetvault.quorum.QuorumStatus;
import dev.fleetvault.quorum.RecordStore;
import dev.fleetvault.quorum.RowState;
import dev.fleetvault.quorum.RowView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jgroups.JChannel;
import org.jgroups.util.Util;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link QuorumNode} implementation: starts the Raft ledger (retrying while JGroups {@code
 * NO_DUPES} still refuses this node's new incarnation) and the Infinispan record store.
 */
public final class DefaultQuorumNode implements QuorumNode {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultQuorumNode.class);
  static final String LEDGER_CLUSTER = "fleetvault-ledger";

  private final QuorumConfig cfg;
  private final RaftLedger ledger;
  private final InfinispanRecordStore records;
  private volatile boolean closed;
  private final java.util.Set<String> swept = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.ScheduledExecutorService housekeeping;

  private DefaultQuorumNode(QuorumConfig cfg, RaftLedger ledger, InfinispanRecordStore records) {
    this.cfg = cfg;
    this.ledger = ledger;
    this.records = records;
    this.housekeeping =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            RaftLedger.daemon("quorum-sweep-m" + cfg.memberId()));
    housekeeping.scheduleWithFixedDelay(
        () -> {
          try {
            sweepRecords();
          } catch (RuntimeException e) {
            LOG.debug("m{}: record sweep: {}", cfg.memberId(), e.toString());
          }
        },
        10,
        60,
        java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * Deletes this member's sealed records whose ledger row is {@code NO_GUESSES} or {@code DELETED}
   * (the member client deletes them right after the command; this catches a crash in between). Safe
   * on a stale local copy: those states are left only by a newer registration, which has a newer
   * version, so the record of the old version is obsolete either way.
   *
   * @return number of records removed
   */
  public int sweepRecords() {
    if (closed || !records.available()) return 0;
    int removed = 0;
    for (RowView row :
        ledger
            .stateMachine()
            .rowsOf(cfg.memberId(), java.util.EnumSet.of(RowState.NO_GUESSES, RowState.DELETED))) {
      if (row.version() < 1) continue;
      String key = InfinispanRecordStore.key(row.user(), row.version(), cfg.memberId());
      if (swept.contains(key)) continue;
      try {
        boolean present =
            records
                .get(row.user(), row.version(), cfg.memberId())
                .toCompletableFuture()
                .get(cfg.requestTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .isPresent();
        if (present) {
          records
              .remove(row.user(), row.version(), cfg.memberId())
              .toCompletableFuture()
              .get(cfg.requestTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
          removed++;
        }
        swept.add(key);
      } catch (Exception e) {
        LOG.debug("m{}: record sweep stopped: {}", cfg.memberId(), e.toString());
        break;
      }
    }
    if (removed > 0)
      LOG.info(
          "m{}: removed {} sealed records of rows with no guesses left or deleted",
          cfg.memberId(),
          removed);
    return removed;
  }

  /** See {@link QuorumNode#start}. */
  public static DefaultQuorumNode start(QuorumConfig cfg) throws QuorumStartException {
    try {
      Witnesses.ensureClaimed();
    } catch (LinkageError e) {
      throw new QuorumStartException(
          "m"
              + cfg.memberId()
              + ": the commit witness mint was claimed by other code;"
              + " only the quorum module may create commit witnesses",
          e);
    }
    long deadline = System.nanoTime() + cfg.startTimeout().toNanos();
    Path raftDir = cfg.dataDir().resolve("raft").toAbsolutePath();
    try {
      Files.createDirectories(raftDir);
    } catch (Exception e) {
      throw new QuorumStartException(
          "cannot create data directory " + raftDir + ": " + e.getMessage(), e);
    }
    if (cfg.channelSecurity() == null)
      throw new QuorumStartException(
          "m"
              + cfg.memberId()
              + ": no ChannelSecurity configured: the ledger and record-store "
              + "channels need this member's TLS certificate, key and the fleet's trust anchors (or the explicit "
              + "insecurePlaintextForTests mode)",
          null);
    CommandVerifier verifier = CommandVerifier.forEpoch(cfg.fleetEpoch(), cfg.members());
    // the record store (Infinispan, slow to start) joins in parallel with the ledger
    java.util.concurrent.CompletableFuture<InfinispanRecordStore> recordsStarting =
        new java.util.concurrent.CompletableFuture<>();
    Thread recordsThread =
        new Thread(
            () -> {
              try {
                recordsStarting.complete(startRecords(cfg, deadline));
              } catch (Throwable e) {
                recordsStarting.completeExceptionally(e);
              }
            },
            "quorum-records-start-m" + cfg.memberId());
    recordsThread.setDaemon(true);
    recordsThread.start();
    RaftLedger ledger = null;
    Exception last = null;
    int tries = 0;
    while (ledger == null) {
      RaftLedger candidate = null;
      try {
        JChannel ch = JGroupsStacks.raftChannel(cfg, raftDir.toString(), true);
        candidate = new RaftLedger(cfg, ch, new LedgerStateMachine(verifier));
        candidate.connect(LEDGER_CLUSTER);
        ledger = candidate;
      } catch (Exception e) {
        last = e;
        if (candidate != null) candidate.close();
        tries++;
        if (System.nanoTime() > deadline) {
          recordsStarting.thenAccept(InfinispanRecordStore::close);
          throw new QuorumStartException(
              "m"
                  + cfg.memberId()
                  + ": could not join the ledger group within "
                  + cfg.startTimeout()
                  + " ("
                  + tries
                  + " tries): "
                  + e.getMessage(),
              e);
        }
        LOG.info(
            "m{}: ledger join refused ({}); the fleet may still remember this node's previous run - retrying in 1 s",
            cfg.memberId(),
            e.getMessage());
        Util.sleep(1000);
      }
    }
    InfinispanRecordStore records;
    try {
      records = recordsStarting.get();
    } catch (Exception e) {
      ledger.close();
      Throwable cause =
          e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
              ? e.getCause()
              : e;
      if (cause instanceof QuorumStartException q) throw q;
      throw new QuorumStartException(
          "m" + cfg.memberId() + ": record store did not start: " + cause, cause);
    }
    if (last != null)
      LOG.debug("m{}: started after retries; last error {}", cfg.memberId(), last.toString());
    LOG.info(
        "m{}: quorum node started (ledger on {}:{}, records on {}:{}, {})",
        cfg.memberId(),
        cfg.bindAddress(),
        cfg.self().raftPort(),
        cfg.bindAddress(),
        cfg.self().clusterPort(),
        cfg.channelSecurity().plaintextDevelopmentOnly()
            ? "PLAINTEXT (test mode)"
            : "TLS 1.3, member certificates required");
    return new DefaultQuorumNode(cfg, ledger, records);
  }

  private static InfinispanRecordStore startRecords(QuorumConfig cfg, long deadline)
      throws QuorumStartException {
    while (true) {
      try (JGroupsStacks.ClusterStack stack = JGroupsStacks.clusterStack(cfg)) {
        return InfinispanRecordStore.start(cfg, stack.xml());
      } catch (Exception e) {
        if (System.nanoTime() > deadline)
          throw new QuorumStartException(
              "m"
                  + cfg.memberId()
                  + ": record store did not start within "
                  + cfg.startTimeout()
                  + ": "
                  + e.getMessage(),
              e);
        LOG.info(
            "m{}: record store start failed ({}); retrying in 1 s", cfg.memberId(), e.toString());
        Util.sleep(1000);
      }
    }
  }

  @Override
  public QuorumConfig config() {
    return cfg;
  }

  @Override
  public Ledger ledger() {
    return ledger;
  }

  @Override
  public RecordStore records() {
    return records;
  }

  /** The ledger implementation (tests, diagnostics, benchmarks). */
  public RaftLedger raftLedger() {
    return ledger;
  }

  /** The record store implementation (tests). */
  public InfinispanRecordStore recordStore() {
    return records;
  }

  @Override
  public MemberLedger memberLedger(CommandSigner signer) {
    return new DefaultMemberLedger(
        cfg.memberId(),
        cfg.fleetEpoch(),
        ledger,
        records,
        signer,
        cfg.requestTimeout().multipliedBy(2));
  }

  @Override
  public boolean majorityReachable() {
    return !closed && ledger.majorityReachable() && records.available();
  }

  @Override
  public Optional<Integer> leader() {
    return ledger.leaderId();
  }

  @Override
  public java.util.Optional<dev.fleetvault.quorum.RaftMetrics> raftMetrics() {
    return java.util.Optional.of(
        new dev.fleetvault.quorum.RaftMetrics(
            ledger.term(), ledger.commitIndex(), ledger.lastAppended(), ledger.logSize()));
  }

  @Override
  public QuorumStatus status() {
    return new QuorumStatus(
        cfg.memberId(),
        ledger.role(),
        ledger.leaderId(),
        ledger.term(),
        ledger.commitIndex(),
        majorityReachable(),
        ledger.servingAsLeader() || ledger.leaderId().isPresent());
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    housekeeping.shutdownNow();
    try {
      records.close();
    } catch (RuntimeException e) {
      LOG.warn("m{}: record store close: {}", cfg.memberId(), e.toString());
    }
    ledger.close();
  }
}
