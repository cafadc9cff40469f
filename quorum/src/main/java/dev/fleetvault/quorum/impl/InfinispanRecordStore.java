package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.QuorumConfig;
import dev.fleetvault.quorum.QuorumUnavailableException;
import dev.fleetvault.quorum.RecordStore;
import org.infinispan.Cache;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.global.UncleanShutdownAction;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.infinispan.partitionhandling.PartitionHandling;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.JChannel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link RecordStore} on an embedded Infinispan cache manager: a {@code REPL_SYNC} cache with a
 * soft-index file store in {@code dataDir/records}, partition handling {@code DENY_READ_WRITES}, over
 * its own JGroups channel. Besides Infinispan's own availability mode, every operation also requires
 * that the cluster view holds a majority of the configured fleet: Infinispan alone would let a single
 * node that started by itself form an "available" cluster of one.
 *
 * <p><b>After a lost majority</b> (quorum/README.md, "Record store: lost majority"): Infinispan puts the
 * cache in degraded mode when at least half of its last stable topology is lost, and leaves it only when
 * those members are back. It recognises a returning member by its persistent identity, which lives in
 * the global state in {@code dataDir/records} ({@link RecordStoreState}); with global state disabled a
 * restarted member was a stranger and a fleet that lost its majority stayed degraded until every node,
 * the survivors included, was restarted. Nothing here forces availability or resolves conflicts by
 * hand: the store becomes available again exactly when Infinispan's own rule says no acknowledged
 * write can be missing, and never without a majority of the configured fleet in view.
 *
 * <p>Blocking Infinispan calls run on this store's small worker pool; stages complete there.
 */
public final class InfinispanRecordStore implements RecordStore, AutoCloseable {
    static final String CACHE = "fleetvault-sealed-records";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InfinispanRecordStore.class);
    private static final int MAX_RECORD = 1 << 20;

    private final QuorumConfig cfg;
    private final DefaultCacheManager manager;
    private final Cache<String, byte[]> cache;
    private final ExecutorService workers;
    private final JChannel channel;

    private InfinispanRecordStore(QuorumConfig cfg, DefaultCacheManager manager, Cache<String, byte[]> cache, JChannel channel) {
        this.cfg = cfg;
        this.channel = channel;
        this.manager = manager;
        this.cache = cache;
        this.workers = java.util.concurrent.Executors.newFixedThreadPool(4, RaftLedger.daemon("quorum-records-m" + cfg.memberId()));
    }

    /** Starts the cache manager and the cache (joins the record-store cluster). */
    static InfinispanRecordStore start(QuorumConfig cfg, String stackXml) throws java.io.IOException {
        Path dir = cfg.dataDir().resolve("records").toAbsolutePath();
        java.util.Optional<java.util.UUID> identity = RecordStoreState.prepare(cfg.memberId(), dir);
        GlobalConfigurationBuilder g = new GlobalConfigurationBuilder();
        g.cacheManagerName("fleetvault-m" + cfg.memberId());
        g.transport().defaultTransport().clusterName("fleetvault-records").nodeName("m" + cfg.memberId()).addProperty(JGroupsTransport.CONFIGURATION_XML, stackXml);
        // persistent global state: the node's persistent UUID survives a restart (also after kill -9: it is
        // written when first created), so a restarted member rejoins as itself and Infinispan leaves
        // degraded mode once the members of the last stable topology are back (see the class comment).
        // IGNORE: after kill -9 the lock file is left behind; FAIL would refuse to start, PURGE would
        // forget the identity. The cache-topology state Infinispan would restore strictly is written only
        // by a cluster-wide shutdownAllCaches(), which this store never calls.
        g.globalState().enable().persistentLocation(dir.toString()).sharedPersistentLocation(dir.resolve("shared").toString())
                .temporaryLocation(dir.resolve("tmp").toString()).uncleanShutdownAction(UncleanShutdownAction.IGNORE);
        g.jmx().disable();
        ConfigurationBuilder c = new ConfigurationBuilder();
        c.clustering().cacheMode(CacheMode.REPL_SYNC).remoteTimeout(cfg.requestTimeout().toMillis())
                .partitionHandling().whenSplit(PartitionHandling.DENY_READ_WRITES);
        c.persistence().passivation(false).addSoftIndexFileStore()
                .dataLocation(dir.resolve("data").toString())
                .indexLocation(dir.resolve("index").toString())
                .shared(false).preload(true).purgeOnStartup(false);
        DefaultCacheManager m = new DefaultCacheManager(g.build(), false);
        m.defineConfiguration(CACHE, c.build());
        m.start();
        Cache<String, byte[]> cache;
        try {
            if (identity.isPresent()) awaitFleetInView(cfg, m);
            cache = m.getCache(CACHE);
        } catch (RuntimeException e) {
            m.stop();
            throw e;
        }
        JChannel channel = ((JGroupsTransport) cache.getAdvancedCache().getRpcManager().getTransport()).getChannel();
        AvailabilityMode mode = cache.getAdvancedCache().getAvailability();
        LOG.info("m{}: record store joined as {} member {} ({} of {} members in view, {})", cfg.memberId(),
                identity.isPresent() ? "returning" : "new", GlobalComponentRegistry.of(m).getLocalTopologyManager().getPersistentUUID(),
                m.getMembers() == null ? 0 : m.getMembers().size(), cfg.members().size(), mode);
        if (mode != AvailabilityMode.AVAILABLE)
            LOG.warn("m{}: the record store cluster is {}: no record is read or written until the members of its last stable "
                    + "topology are back (recognised by their persistent identity, also after a restart)", cfg.memberId(), mode);
        return new InfinispanRecordStore(cfg, m, cache, channel);
    }

    /**
     * A returning member starts its cache only once every configured member is in its view, or after
     * {@link #fleetViewWait} (then with whatever view it has, logged). Restarted members that start
     * their caches in separate JGroups views (a restart can begin as a singleton until MERGE3 merges it)
     * meet again through Infinispan's partition <em>merge</em>, whose degraded-mode rule compares
     * addresses, which are new after a restart, so the cache stays degraded for good; joining one view
     * goes through the <em>join</em> rule instead, which recognises returning members by persistent
     * identity. Never waits longer than the bound; nothing Infinispan holds is locked meanwhile.
     */
    private static void awaitFleetInView(QuorumConfig cfg, DefaultCacheManager m) {
        Duration bound = fleetViewWait(cfg);
        long deadline = System.nanoTime() + bound.toNanos();
        int n = cfg.members().size();
        while (viewSize(m) < n) {
            if (System.nanoTime() > deadline) {
                LOG.warn("m{}: record store starts with {} of {} members in view after waiting {} for the whole fleet (a member "
                        + "still down, or a partition); it serves only with a majority of the fleet in view", cfg.memberId(),
                        viewSize(m), n, bound);
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The bounded wait of {@link #awaitFleetInView}: a third of the start timeout, at most 30 s. */
    static Duration fleetViewWait(QuorumConfig cfg) {
        Duration third = cfg.startTimeout().dividedBy(3);
        return third.compareTo(Duration.ofSeconds(30)) < 0 ? third : Duration.ofSeconds(30);
    }

    private static int viewSize(DefaultCacheManager m) {
        List<?> members = m.getMembers();
        return members == null ? 0 : members.size();
    }

    static String key(String user, long version, int memberId) {
        if (user.isEmpty()) throw new IllegalArgumentException("user id must not be empty");
        if (version < 1) throw new IllegalArgumentException("version must be >= 1");
        if (memberId < 1 || memberId > 255) throw new IllegalArgumentException("member id must be in 1..255");
        return user.length() + ":" + user + "/" + version + "/" + memberId;
    }

    @Override
    public CompletionStage<Void> put(String user, long version, int memberId, byte[] sealedRecord) {
        String k = key(user, version, memberId);
        if (sealedRecord.length == 0 || sealedRecord.length > MAX_RECORD) throw new IllegalArgumentException("sealed record must be 1 byte .. 1 MiB");
        byte[] v = sealedRecord.clone();
        return run(() -> {
            cache.put(k, v);
            return null;
        });
    }

    @Override
    public CompletionStage<Optional<byte[]>> putIfAbsent(String user, long version, int memberId, byte[] sealedRecord) {
        String k = key(user, version, memberId);
        if (sealedRecord.length == 0 || sealedRecord.length > MAX_RECORD) throw new IllegalArgumentException("sealed record must be 1 byte .. 1 MiB");
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
        return run(() -> {
            cache.remove(k);
            return null;
        });
    }

    @Override
    public boolean available() {
        if (!manager.getStatus().allowInvocations()) return false;
        List<?> members = manager.getMembers();
        return members != null && members.size() >= cfg.majority()
                && cache.getAdvancedCache().getAvailability() == AvailabilityMode.AVAILABLE;
    }

    private <T> CompletionStage<T> run(Supplier<T> op) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                try {
                    if (!available())
                        throw new QuorumUnavailableException("record store: no majority of the fleet in view (" + viewSize() + " of "
                                + cfg.members().size() + " members)", null);
                    f.complete(op.get());
                } catch (QuorumUnavailableException e) {
                    f.completeExceptionally(e);
                } catch (RuntimeException e) {
                    f.completeExceptionally(new QuorumUnavailableException("record store operation failed: " + e.getClass().getSimpleName()
                            + ": " + e.getMessage(), e));
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
        return cache.getAdvancedCache().withFlags(org.infinispan.context.Flag.CACHE_MODE_LOCAL, org.infinispan.context.Flag.SKIP_CACHE_LOAD).size();
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
