package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.QuorumConfig;
import dev.fleetvault.quorum.QuorumUnavailableException;
import dev.fleetvault.quorum.RecordStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.infinispan.partitionhandling.PartitionHandling;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.JChannel;

/**
 * {@link RecordStore} on an embedded Infinispan cache manager: a {@code REPL_SYNC} cache with a
 * soft-index file store in {@code dataDir/records}, over its own JGroups channel. Every operation
 * requires that the cluster view holds a majority of the configured fleet; that, not Infinispan's
 * partition handling, is the store's partition rule.
 *
 * <p><b>Partition handling</b> (quorum/README.md, "Record store: lost majority"): {@code
 * ALLOW_READ_WRITES} with merge policy {@code PREFERRED_NON_NULL}. Infinispan's {@code
 * DENY_READ_WRITES} leaves degraded mode only when the members of the last stable topology are back
 * under the same JGroups addresses, and a restarted member always has a new one, so after a lost
 * majority the store stayed degraded until every node was restarted (issue 14.2). Here Infinispan
 * never degrades; only a view with a majority of the configured fleet serves (any two such views
 * share a member), and when partitions merge Infinispan's conflict resolution writes to every
 * replica the preferred partition's value of each key, or any partition's non-null value where the
 * preferred one has none, so a record stored on any side survives the merge. Records are written
 * put-if-absent under a key naming user, version and member, and the ledger row (version, digest,
 * counters) is the authority for each: a record that reappears after a merge can neither lower a
 * counter nor answer another registration.
 *
 * <p>Blocking Infinispan calls run on this store's small worker pool; stages complete there.
 */
public final class InfinispanRecordStore implements RecordStore, AutoCloseable {
  static final String CACHE = "fleetvault-sealed-records";
  private static final int MAX_RECORD = 1 << 20;

  private final QuorumConfig cfg;
  private final DefaultCacheManager manager;
  private final Cache<String, byte[]> cache;
  private final ExecutorService workers;
  private final JChannel channel;

  private InfinispanRecordStore(
      QuorumConfig cfg,
      DefaultCacheManager manager,
      Cache<String, byte[]> cache,
      JChannel channel) {
    this.cfg = cfg;
    this.channel = channel;
    this.manager = manager;
    this.cache = cache;
    this.workers =
        java.util.concurrent.Executors.newFixedThreadPool(
            4, RaftLedger.daemon("quorum-records-m" + cfg.memberId()));
  }

  /** Starts the cache manager and the cache (joins the record-store cluster). */
  static InfinispanRecordStore start(QuorumConfig cfg, String stackXml) {
    Path dir = cfg.dataDir().resolve("records").toAbsolutePath();
    GlobalConfigurationBuilder g = new GlobalConfigurationBuilder();
    g.cacheManagerName("fleetvault-m" + cfg.memberId());
    g.transport()
        .defaultTransport()
        .clusterName("fleetvault-records")
        .nodeName("m" + cfg.memberId())
        .addProperty(JGroupsTransport.CONFIGURATION_XML, stackXml);
    g.globalState().disable();
    g.jmx().disable();
    ConfigurationBuilder c = new ConfigurationBuilder();
    c.clustering()
        .cacheMode(CacheMode.REPL_SYNC)
        .remoteTimeout(cfg.requestTimeout().toMillis())
        .partitionHandling()
        .whenSplit(PartitionHandling.ALLOW_READ_WRITES)
        .mergePolicy(org.infinispan.conflict.MergePolicy.PREFERRED_NON_NULL);
    c.persistence()
        .passivation(false)
        .addSoftIndexFileStore()
        .dataLocation(dir.resolve("data").toString())
        .indexLocation(dir.resolve("index").toString())
        .shared(false)
        .preload(true)
        .purgeOnStartup(false);
    DefaultCacheManager m = new DefaultCacheManager(g.build(), false);
    m.defineConfiguration(CACHE, c.build());
    m.start();
    Cache<String, byte[]> cache;
    try {
      cache = m.getCache(CACHE);
    } catch (RuntimeException e) {
      m.stop(); // the retry in DefaultQuorumNode starts a new manager on the same port
      throw e;
    }
    JChannel channel =
        ((JGroupsTransport) cache.getAdvancedCache().getRpcManager().getTransport()).getChannel();
    return new InfinispanRecordStore(cfg, m, cache, channel);
  }

  static String key(String user, long version, int memberId) {
    if (user.isEmpty()) throw new IllegalArgumentException("user id must not be empty");
    if (version < 1) throw new IllegalArgumentException("version must be >= 1");
    if (memberId < 1 || memberId > 255)
      throw new IllegalArgumentException("member id must be in 1..255");
    return user.length() + ":" + user + "/" + version + "/" + memberId;
  }

  @Override
  public CompletionStage<Void> put(String user, long version, int memberId, byte[] sealedRecord) {
    String k = key(user, version, memberId);
    if (sealedRecord.length == 0 || sealedRecord.length > MAX_RECORD)
      throw new IllegalArgumentException("sealed record must be 1 byte .. 1 MiB");
    byte[] v = sealedRecord.clone();
    return run(
        () -> {
          cache.put(k, v);
          return null;
        });
  }

  @Override
  public CompletionStage<Optional<byte[]>> putIfAbsent(
      String user, long version, int memberId, byte[] sealedRecord) {
    String k = key(user, version, memberId);
    if (sealedRecord.length == 0 || sealedRecord.length > MAX_RECORD)
      throw new IllegalArgumentException("sealed record must be 1 byte .. 1 MiB");
    byte[] v = sealedRecord.clone();
    return run(() -> Optional.ofNullable(cache.putIfAbsent(k, v)).map(byte[]::clone));
  }

  @Override
  public CompletionStage<Optional<byte[]>> get(String user, long version, int memberId) {
    String k = key(user, version, memberId);
    return run(() -> Optional.ofNullable(cache.get(k)).map(byte[]::clone));
  }

  @Override
  public CompletionStage<Void> remove(String user, long version, int memberId) {
    String k = key(user, version, memberId);
    return run(
        () -> {
          cache.remove(k);
          return null;
        });
  }

  @Override
  public boolean available() {
    if (!manager.getStatus().allowInvocations()) return false;
    List<?> members = manager.getMembers();
    return members != null
        && members.size() >= cfg.majority()
        && cache.getAdvancedCache().getAvailability() == AvailabilityMode.AVAILABLE;
  }

  private <T> CompletionStage<T> run(Supplier<T> op) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      workers.execute(
          () -> {
            try {
              if (!available())
                throw new QuorumUnavailableException(
                    "record store: no majority of the fleet in view ("
                        + viewSize()
                        + " of "
                        + cfg.members().size()
                        + " members)",
                    null);
              f.complete(op.get());
            } catch (QuorumUnavailableException e) {
              f.completeExceptionally(e);
            } catch (RuntimeException e) {
              f.completeExceptionally(
                  new QuorumUnavailableException(
                      "record store operation failed: "
                          + e.getClass().getSimpleName()
                          + ": "
                          + e.getMessage(),
                      e));
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      f.completeExceptionally(new QuorumUnavailableException("record store closed", e));
    }
    return f;
  }

  private int viewSize() {
    List<?> m = manager.getMembers();
    return m == null ? 0 : m.size();
  }

  /** The record-store channel (tests insert DISCARD here). */
  public JChannel channel() {
    return channel;
  }

  /** Number of entries held locally (tests). */
  public int localSize() {
    return cache
        .getAdvancedCache()
        .withFlags(
            org.infinispan.context.Flag.CACHE_MODE_LOCAL,
            org.infinispan.context.Flag.SKIP_CACHE_LOAD)
        .size();
  }

  @Override
  public void close() {
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    manager.stop();
  }
}
