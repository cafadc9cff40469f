package dev.fleetvault.gateway;

import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.gateway.auth.RateLimiter;
import dev.fleetvault.gateway.auth.TokenVerifier;
import dev.fleetvault.gateway.config.ConfigException;
import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.config.NodeSpec;
import dev.fleetvault.gateway.crypto.CryptoExecutor;
import dev.fleetvault.gateway.edge.BundleSource;
import dev.fleetvault.gateway.edge.EdgeService;
import dev.fleetvault.gateway.edge.EdgeVerticle;
import dev.fleetvault.gateway.edge.FileBundleSource;
import dev.fleetvault.gateway.edge.GrpcEdge;
import dev.fleetvault.gateway.edge.WebSocketEdge;
import dev.fleetvault.gateway.hsm.HsmExecutor;
import dev.fleetvault.gateway.http.HealthRoutes;
import dev.fleetvault.gateway.http.WebAppRoutes;
import dev.fleetvault.gateway.http.NodeMetrics;
import dev.fleetvault.gateway.impl.DriverOpener;
import dev.fleetvault.gateway.impl.MemberRuntime;
import dev.fleetvault.gateway.member.MemberKeys;
import dev.fleetvault.gateway.peer.DevPki;
import dev.fleetvault.gateway.peer.PeerClients;
import dev.fleetvault.gateway.peer.PeerVerticle;
import dev.fleetvault.quorum.ChannelSecurity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Fleetvault node: the client edge (gRPC + WebSocket + HTTP on the member's {@code client}
 * address), the internal {@code Member} service (mutual TLS on its {@code peer} address), this
 * member's role bound to its own HSM, and its quorum participant.
 *
 * <p>Start-up order: open the HSM driver and find or generate the member's keys (on a worker
 * thread); publish the public keys to the development fleet directory; ensure mTLS material;
 * start the quorum participant; deploy the peer service, then the edge. Any failure stops and
 * releases what was started and fails the returned future with a message naming the cause.
 */
public final class FleetvaultNode {
  private static final Logger LOG = LoggerFactory.getLogger(FleetvaultNode.class);

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final NodeConfig config;
  private final MemberSpec member;
  private final int index;
  private final NodeMetrics metrics;
  private HsmDriver driver;
  private HsmExecutor hsm;
  private CryptoExecutor crypto;
  private MemberKeys keys;
  private PeerClients peers;
  private MemberRuntime runtime;
  private ChannelSecurity quorumSecurity;
  private EdgeVerticle edge;
  private PeerVerticle peer;
  private String edgeDeployment;
  private String peerDeployment;
  private Future<Void> stopped;
  private final dev.fleetvault.gateway.edge.SwitchableBundleSource bundleSource =
      new dev.fleetvault.gateway.edge.SwitchableBundleSource(BundleSource.NONE);

  private FleetvaultNode(Vertx vertx, boolean ownsVertx, NodeConfig config, MemberSpec member,
      NodeMetrics metrics) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.config = config;
    this.member = member;
    this.index = config.members().indexOf(member) + 1;
    this.metrics = metrics;
  }

  /**
   * Starts the node for {@code memberId} on its own Vert.x instance (with Prometheus metrics);
   * stopping the node closes that instance.
   */
  public static Future<FleetvaultNode> start(NodeConfig config, String memberId) {
    NodeMetrics metrics = new NodeMetrics(memberId);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry())).build();
    return start(vertx, true, config, memberId, metrics);
  }

  /** Starts the node for {@code memberId} on a caller-owned Vert.x instance. */
  public static Future<FleetvaultNode> start(Vertx vertx, NodeConfig config, String memberId) {
    return start(vertx, false, config, memberId, new NodeMetrics(memberId));
  }

  /** Blocking form of {@link #start(NodeConfig, String)} for command-line use. */
  public static FleetvaultNode startBlocking(NodeConfig config, String memberId) throws Exception {
    return start(config, memberId).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.MINUTES);
  }

  private static Future<FleetvaultNode> start(Vertx vertx, boolean owns, NodeConfig config,
      String memberId, NodeMetrics metrics) {
    MemberSpec member = config.member(memberId).orElseThrow(() -> new ConfigException(
        config.source() + ": '" + memberId + "' is not a member of fleet " + config.fleetId()));
    NodeSpec spec = config.node(memberId).orElseThrow(() -> new ConfigException(
        config.source() + ": this file has no node entry for member '" + memberId + "'"));
    FleetvaultNode node = new FleetvaultNode(vertx, owns, config, member, metrics);
    // Completed outside the node's Vert.x context: on failure that Vert.x is closed.
    java.util.concurrent.CompletableFuture<FleetvaultNode> result =
        new java.util.concurrent.CompletableFuture<>();
    node.boot(spec).onComplete(ar -> {
      if (ar.succeeded()) {
        LOG.info("node {} ready: edge {}, peer {}", memberId, node.clientAddress(),
            node.peerAddress());
        result.complete(node);
      } else {
        LOG.error("node {} failed to start: {}", memberId, ar.cause().toString());
        node.stop().onComplete(x -> result.completeExceptionally(ar.cause()));
      }
    });
    return Future.fromCompletionStage(result);
  }

  private Future<Void> boot(NodeSpec spec) {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(spec.dataDir());
      driver = DriverOpener.open(config, spec);
      keys = MemberKeys.ensure(driver, member.id());
      keys = dev.fleetvault.gateway.member.HpkeRotation.current(driver, spec.dataDir(), keys);
      new FleetDirectory(config.fleetDir()).publish(new FleetDirectory.Entry(member.id(), index,
          member.client().toString(), keys.hpkePublic(), keys.signPublic()));
      DevPki.Material tls = spec.peerTls().generate()
          ? DevPki.ensure(config.fleetDir().resolve("pki"), member.id(), hostsOf(member))
          : new DevPki.Material(spec.peerTls().caCert(), spec.peerTls().cert(),
              spec.peerTls().key());
      // the quorum's two channels use the same member certificate and fleet CA as the peer
      // service; a peer must present a certificate naming one of the fleet's members
      quorumSecurity = ChannelSecurity.fromPemFiles(tls.key(), tls.cert(), tls.caCert(),
          config.members().stream().map(MemberSpec::id).toList());
      return tls;
    }).compose(tls -> {
      hsm = new HsmExecutor(vertx, "fleetvault-hsm-" + member.id(), driver,
          spec.hsm().workers(), spec.hsm().queue(), spec.hsm().timeoutMs(), metrics.registry());
      crypto = new CryptoExecutor(vertx, "fleetvault-crypto-" + member.id(), 0);
      TokenVerifier tokens = new TokenVerifier(vertx, config.apps(), crypto);
      int max = config.limits().maxMessageBytes();
      peers = new PeerClients(vertx, tls, config.members(), max);
      runtime = new MemberRuntime(vertx, config, spec, member, index, hsm, crypto, keys,
          metrics);
      if (bundleSource.get() == BundleSource.NONE) {
        bundleSource.set(config.bundleFile().<BundleSource>map(FileBundleSource::new)
            .orElse(BundleSource.NONE));
      }
      BundleSource bundles = bundleSource;
      runtime.bundles(bundles);
      runtime.channelSecurity(quorumSecurity);
      EdgeService edgeService = new EdgeService(tokens,
          new RateLimiter(config.limits().perUserPerMinute(), 100_000),
          new RateLimiter(config.limits().perAddressPerMinute(), 100_000), peers,
          bundles, config.threshold(), max, config.limits().requestTimeoutMs());
      edge = new EdgeVerticle(member.client(), max,
          new GrpcEdge(edgeService, runtime, metrics),
          new WebSocketEdge(edgeService, runtime, metrics, max),
          v -> WebAppRoutes.mount(HealthRoutes.create(v, metrics, runtime::ready), v,
              java.util.Optional.of(config.fleetDir().resolve("trust.json"))), config.limits());
      return runtime.start().compose(v -> {
        peer = new PeerVerticle(member.peer(), tls, max, tokens, runtime.handler());
        return vertx.deployVerticle(peer);
      }).compose(id -> {
        peerDeployment = id;
        return vertx.deployVerticle(edge);
      }).map(id -> {
        edgeDeployment = id;
        return null;
      });
    });
  }

  /** The distinct hosts of a member's peer, ledger and record-store addresses (its TLS SANs). */
  static java.util.List<String> hostsOf(MemberSpec m) {
    return java.util.stream.Stream.of(m.peer().host(), m.raft().host(), m.cluster().host())
        .distinct().toList();
  }

  /** The member id. */
  public String memberId() {
    return member.id();
  }

  /** The member index (1-based, configuration order). */
  public int memberIndex() {
    return index;
  }

  /** Where the client edge listens (actual port). */
  public HostPort clientAddress() {
    return member.client().withPort(edge == null ? member.client().port() : edge.actualPort());
  }

  /** Where the internal member service listens (actual port). */
  public HostPort peerAddress() {
    return member.peer().withPort(peer == null ? member.peer().port() : peer.actualPort());
  }

  /**
   * Serves the validation bundle from {@code source} from now on (replaces the configured
   * {@code bundle_file}); e.g. a {@link dev.fleetvault.gateway.edge.SignerBundleSource}.
   */
  public void bundleSource(BundleSource source) {
    bundleSource.set(source);
  }

  /**
   * Fleet rotation, member side: generates a new HPKE key inside this member's HSM (label
   * {@code fleetvault.<member>.hpke.<generation>}), records its label under the node's data
   * directory (kept across restarts), publishes its public key to the development fleet
   * directory, and opens new envelopes with it while still accepting envelopes sealed to the
   * key it replaces (in-flight sessions) until the next rotation. The command-signing and
   * record-sealing keys stay. Blocking; returns the new 65-byte uncompressed public key.
   * Publishing the new epoch's bundle is the operator's next step.
   */
  public synchronized byte[] rotateHpkeKey() throws Exception {
    NodeSpec spec = config.node(member.id()).orElseThrow();
    MemberKeys rotated = dev.fleetvault.gateway.member.HpkeRotation.rotate(driver,
        spec.dataDir(), member.id(), keys);
    keys = rotated;
    new FleetDirectory(config.fleetDir()).publish(new FleetDirectory.Entry(member.id(), index,
        member.client().toString(), rotated.hpkePublic(), rotated.signPublic()));
    runtime.rotateHpke(rotated.hpke(), rotated.hpkePublic());
    return rotated.hpkePublic();
  }

  /** This member's public keys. */
  public MemberKeys keys() {
    return keys;
  }

  /** The node's meters. */
  public NodeMetrics metrics() {
    return metrics;
  }

  /** The Vert.x instance the node runs on. */
  public Vertx vertx() {
    return vertx;
  }

  /**
   * Stops the node and releases its HSM; idempotent. The returned future is not bound to the
   * node's Vert.x (which may be closed by then).
   */
  public synchronized Future<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    LOG.info("node {} stopping", member.id());
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    stopped = Future.fromCompletionStage(done);
    release().onComplete(ar -> {
      if (!ownsVertx) {
        done.complete(null);
        return;
      }
      Thread closer = new Thread(() -> {
        try {
          vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.warn("node {}: Vert.x did not close cleanly: {}", member.id(), e.toString());
        }
        done.complete(null);
      }, "fleetvault-close-" + member.id());
      closer.setDaemon(true);
      closer.start();
    });
    return stopped;
  }

  private Future<Void> release() {
    Future<Void> f = Future.succeededFuture();
    if (edgeDeployment != null) {
      f = f.compose(v -> vertx.undeploy(edgeDeployment)).otherwiseEmpty().mapEmpty();
    }
    if (peerDeployment != null) {
      f = f.compose(v -> vertx.undeploy(peerDeployment)).otherwiseEmpty().mapEmpty();
    }
    return f.compose(v -> runtime == null ? Future.<Void>succeededFuture()
        : runtime.stop().otherwiseEmpty()).compose(v -> {
          if (peers != null) {
            peers.close();
          }
          if (hsm != null) {
            hsm.close();
          }
          if (crypto != null) {
            crypto.close();
          }
          return vertx.executeBlocking(() -> {
            if (driver != null) {
              driver.close();
            }
            return null;
          });
        }).otherwiseEmpty().mapEmpty();
  }

  /** Blocking {@link #stop()}. */
  public void close() throws Exception {
    stop().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
