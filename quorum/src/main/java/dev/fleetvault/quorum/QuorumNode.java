package dev.fleetvault.quorum;

import dev.fleetvault.quorum.impl.DefaultQuorumNode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One node's participation in the quorum: the Raft {@link Ledger} (jgroups-raft on its own channel,
 * durable RocksDB log with synchronous writes) and the {@link RecordStore} (embedded Infinispan,
 * replicated persistent cache), both on loopback or the configured bind address.
 *
 * <p>Guarantees: {@link #start} returns only when both channels are connected; it waits and retries
 * while the cluster still remembers this node's previous incarnation (JGroups {@code NO_DUPES}).
 * The node never guesses without a majority: the ledger answers {@link LedgerResult.NoMajority} and
 * the store throws {@link QuorumUnavailableException}. {@link #close()} leaves the fleet cleanly.
 */
public interface QuorumNode extends AutoCloseable {

  /**
   * Starts a node, blocking until it joined (or the start-up deadline passed). Call from a worker
   * thread.
   */
  static QuorumNode start(QuorumConfig config) throws QuorumStartException {
    return DefaultQuorumNode.start(config);
  }

  /** Starts a node on a new thread. */
  static CompletionStage<QuorumNode> startAsync(QuorumConfig config) {
    CompletableFuture<QuorumNode> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(start(config));
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            },
            "quorum-start-m" + config.memberId());
    t.setDaemon(true);
    t.start();
    return f;
  }

  /** The configuration this node runs with. */
  QuorumConfig config();

  /** The raw ledger (any member's signed commands; used by {@link MemberLedger} and tests). */
  Ledger ledger();

  /** The sealed record store. */
  RecordStore records();

  /** A ledger client for this node's own member, signing through {@code signer}. */
  MemberLedger memberLedger(CommandSigner signer);

  /** Whether both the ledger and the record store see a majority. */
  boolean majorityReachable();

  /** Member id of the current Raft leader, if known. */
  Optional<Integer> leader();

  /** Status for health checks. */
  QuorumStatus status();

  /** Raft counters for metrics; empty where the implementation has none. */
  default java.util.Optional<RaftMetrics> raftMetrics() {
    return java.util.Optional.empty();
  }

  /** Leaves the fleet and releases the data directory. */
  @Override
  void close();
}
