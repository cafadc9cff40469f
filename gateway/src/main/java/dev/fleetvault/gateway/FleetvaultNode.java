package dev.fleetvault.gateway;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.gateway.auth.RateLimiter;
import dev.fleetvault.gateway.auth.TokenVerifier;
import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.config.NodeSpec;
import dev.fleetvault.gateway.crypto.CryptoExecutor;
import dev.fleetvault.gateway.driver.DriverOpener;
import dev.fleetvault.gateway.edge.BundleSource;
import dev.fleetvault.gateway.edge.EdgeService;
import dev.fleetvault.gateway.edge.EdgeVerticle;
import dev.fleetvault.gateway.edge.FileBundleSource;
import dev.fleetvault.gateway.edge.GrpcEdge;
import dev.fleetvault.gateway.edge.WebSocketEdge;
import dev.fleetvault.gateway.fleet.ArtifactPeerKeys;
import dev.fleetvault.gateway.fleet.DirectoryPeerKeys;
import dev.fleetvault.gateway.fleet.FleetBundleBoot;
import dev.fleetvault.gateway.fleet.FleetBundleException;
import dev.fleetvault.gateway.fleet.PeerKeys;
import dev.fleetvault.gateway.hsm.HsmExecutor;
import dev.fleetvault.gateway.http.HealthRoutes;
import dev.fleetvault.gateway.http.NodeMetrics;
import dev.fleetvault.gateway.http.WebAppRoutes;
import dev.fleetvault.gateway.impl.MemberRuntime;
import dev.fleetvault.gateway.member.MemberKeys;
import dev.fleetvault.gateway.peer.DevPki;
import dev.fleetvault.gateway.peer.PeerClients;
import dev.fleetvault.gateway.peer.PeerIdentity;
import dev.fleetvault.gateway.peer.PeerTrust;
import dev.fleetvault.gateway.peer.PeerVerticle;
import dev.fleetvault.gateway.peer.PinnedPeerTrust;
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
 * <p>Start-up order (production): open the HSM driver and find the member's keys, which the
 * ceremony generated (on a worker thread; a missing key stops start-up, none is generated); obtain
 * the fleet's signed bundle ({@code fleet_bundle}: a file or the signer) and verify it against the
 * configured trust anchors (signer, operator, audit-log inclusion; the ceremony evidence and its
 * witnesses where configured), refusing to start unless it lists this member with exactly the keys
 * in its own HSM and exactly the configured members; take every peer's signing key, HPKE key and
 * TLS certificate from its artifact; load this member's peer TLS key (written by {@code fleetvault
 * ceremony member}) and pin the artifact's certificates on the peer service and both quorum
 * channels; start the quorum participant; deploy the peer service, then the edge.
 *
 * <p>Development ({@code development: true}, loopback only, logged at WARN): publish the public
 * keys to the development fleet directory and learn the peers from it; development PKI (or {@code
 * peer_tls} files) instead of the artifact's certificates.
 *
 * <p>Any failure stops and releases what was started and fails the returned future with a message
 * naming the cause.
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
  private PeerKeys peerKeys;
  private FleetBundleBoot.Verified verified;
  private EdgeVerticle edge;
  private volatile dev.fleetvault.gateway.http.AdminVerticle admin;
  private volatile String adminDeployment;
  private PeerVerticle peer;
  private String edgeDeployment;
  private String peerDeployment;
  private Future<Void> stopped;
  private final dev.fleetvault.gateway.edge.SwitchableBundleSource bundleSource =
      new dev.fleetvault.gateway.edge.SwitchableBundleSource(BundleSource.NONE);

  private FleetvaultNode(
      Vertx vertx, boolean ownsVertx, NodeConfig config, MemberSpec member, NodeMetrics metrics) {
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
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
            .build();
    return start(vertx, true, config, memberId, metrics);
  }

  /** Starts the node for {@code memberId} on a caller-owned Vert.x instance. */
  public static Future<FleetvaultNode> start(Vertx vertx, NodeConfig config, String memberId) {
    return start(vertx, false, config, memberId, new NodeMetrics(memberId));
  }

  /** Blocking form of {@link #start(NodeConfig, String)} for command-line use. */
  public static FleetvaultNode startBlocking(NodeConfig config, String memberId) throws Exception {
    return start(config, memberId)
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.MINUTES);
  }

  private static Future<FleetvaultNode> start(
      Vertx vertx, boolean owns, NodeConfig config, String memberId, NodeMetrics metrics) {
    dev.fleetvault.gateway.impl.JGroupsLogs.install(); // before the ledger's channels exist
    MemberSpec member =
        config
            .member(memberId)
            .orElseThrow(
                () ->
                    new ConfigException(
                        config.source()
                            + ": '"
                            + memberId
                            + "' is not a member of fleet "
                            + config.fleetId()));
    NodeSpec spec =
        config
            .node(memberId)
            .orElseThrow(
                () ->
                    new ConfigException(
                        config.source()
                            + ": this file has no node entry for member '"
                            + memberId
                            + "'"));
    FleetvaultNode node = new FleetvaultNode(vertx, owns, config, member, metrics);
    // Completed outside the node's Vert.x context: on failure that Vert.x is closed.
    java.util.concurrent.CompletableFuture<FleetvaultNode> result =
        new java.util.concurrent.CompletableFuture<>();
    node.boot(spec)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                LOG.info(
                    "node {} ready: edge {}, peer {}",
                    memberId,
                    node.clientAddress(),
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
    return vertx
        .executeBlocking(
            () -> {
              // a taken port fails here, named with its owner, not as a join retried forever
              dev.fleetvault.gateway.ports.PortCheck.requireFree(
                  member, String.valueOf(config.source()));
              Files.createDirectories(spec.dataDir());
              driver = DriverOpener.open(config, spec);
              if (!config.development()) {
                // production: the ceremony generated the member's keys; a node never makes new ones
                for (String role : java.util.List.of("hpke", "sign", "seal")) {
                  String label = "fleetvault." + member.id() + "." + role;
                  if (driver.findKey(label).isEmpty()) {
                    throw new FleetBundleException(
                        "member "
                            + member.id()
                            + ": no key "
                            + label
                            + " in "
                            + "this node's HSM; `fleetvault ceremony member` generates the member's keys on "
                            + "its own host before the fleet bundle is made");
                  }
                }
              }
              keys = MemberKeys.ensure(driver, member.id());
              keys =
                  dev.fleetvault.gateway.member.HpkeRotation.current(driver, spec.dataDir(), keys);
              java.util.List<String> ids = config.members().stream().map(MemberSpec::id).toList();
              PeerTrust trust;
              if (config.development()) {
                LOG.warn(
                    "DEVELOPMENT fleet '{}' (development: true): member {} learns its peers from the "
                        + "development fleet directory {} and its peer TLS from the development PKI; whoever "
                        + "can write that directory can swap a member's keys. Never for real users.",
                    config.fleetId(),
                    member.id(),
                    config.fleetDir());
                FleetDirectory dir = new FleetDirectory(config.fleetDir());
                dir.publish(
                    new FleetDirectory.Entry(
                        member.id(),
                        index,
                        member.client().toString(),
                        keys.hpkePublic(),
                        keys.signPublic()));
                peerKeys = new DirectoryPeerKeys(dir);
                trust =
                    PeerTrust.ca(
                        spec.peerTls().generate()
                            ? DevPki.ensure(
                                config.fleetDir().resolve("pki"), member.id(), hostsOf(member))
                            : new DevPki.Material(
                                spec.peerTls().caCert(),
                                spec.peerTls().cert(),
                                spec.peerTls().key()));
              } else {
                if (config.fleetBundle().orElseThrow().allowSoftDriver()) {
                  LOG.warn(
                      "fleet_bundle.allow_soft_driver is set: members on the software HSM driver "
                          + "are accepted. DEVELOPMENT/TEST ONLY.");
                }
                verified = FleetBundleBoot.verify(config, member, keys);
                LOG.info(
                    "member {}: fleet bundle verified ({}); peers from its artifact only",
                    member.id(),
                    verified.artifact());
                peerKeys = new ArtifactPeerKeys(verified.artifact());
                java.util.Map<String, java.security.cert.X509Certificate> certs =
                    new java.util.LinkedHashMap<>();
                for (var m : verified.artifact().members()) {
                  certs.put(m.id(), ArtifactPeerKeys.certificate(m));
                }
                java.nio.file.Path keyFile = PeerIdentity.keyFile(spec);
                if (!Files.isRegularFile(keyFile)) {
                  throw new FleetBundleException(
                      "member "
                          + member.id()
                          + ": no peer TLS key at "
                          + keyFile
                          + " (`fleetvault ceremony member` writes it on this member's host)");
                }
                try {
                  trust =
                      new PinnedPeerTrust(PeerIdentity.readPrivateKey(keyFile), member.id(), certs);
                } catch (java.security.GeneralSecurityException e) {
                  throw new FleetBundleException(
                      "member "
                          + member.id()
                          + ": the peer TLS key "
                          + keyFile
                          + " does not belong to this member's certificate in the fleet artifact: "
                          + e.getMessage(),
                      e);
                }
              }
              // the quorum's two channels use the same identity and trust as the peer service
              quorumSecurity = trust.channelSecurity(ids);
              return trust;
            })
        .compose(
            tls -> {
              hsm =
                  new HsmExecutor(
                      vertx,
                      "fleetvault-hsm-" + member.id(),
                      driver,
                      spec.hsm().workers(),
                      spec.hsm().queue(),
                      spec.hsm().timeoutMs(),
                      metrics.registry());
              crypto = new CryptoExecutor(vertx, "fleetvault-crypto-" + member.id(), 0);
              TokenVerifier tokens = new TokenVerifier(vertx, config.apps(), crypto);
              int max = config.limits().maxMessageBytes();
              peers = new PeerClients(vertx, tls, config.members(), max);
              runtime =
                  new MemberRuntime(vertx, config, spec, member, index, hsm, crypto, keys, metrics);
              runtime.peerKeys(peerKeys);
              if (bundleSource.get() == BundleSource.NONE) {
                bundleSource.set(
                    config
                        .bundleFile()
                        .<BundleSource>map(FileBundleSource::new)
                        .orElseGet(this::verifiedBundleSource));
              }
              BundleSource bundles = bundleSource;
              runtime.bundles(bundles);
              runtime.channelSecurity(quorumSecurity);
              EdgeService edgeService =
                  new EdgeService(
                      tokens,
                      new RateLimiter(config.limits().perUserPerMinute(), 100_000),
                      new RateLimiter(config.limits().perAddressPerMinute(), 100_000),
                      peers,
                      bundles,
                      config.threshold(),
                      max,
                      config.limits().requestTimeoutMs());
              edge =
                  new EdgeVerticle(
                      member.client(),
                      max,
                      new GrpcEdge(edgeService, runtime, metrics),
                      new WebSocketEdge(edgeService, runtime, metrics, max),
                      v ->
                          WebAppRoutes.mount(
                              HealthRoutes.client(v, runtime::ready), v, webAppTrustFile()),
                      config.limits());
              metrics.bindQuorum(runtime::quorum);
              return runtime
                  .start()
                  .compose(
                      v -> {
                        peer =
                            new PeerVerticle(member.peer(), tls, max, tokens, runtime.handler())
                                .limits(config.limits());
                        // the edge reaches its own member in-process (same checks, no TLS round
                        // trip to itself)
                        peers.local(
                            index,
                            (rpc, req, auth) ->
                                PeerVerticle.serve(
                                    tokens,
                                    runtime.handler(),
                                    PeerVerticle.phaseOf(rpc),
                                    req,
                                    auth));
                        return vertx.deployVerticle(peer);
                      })
                  .compose(
                      id -> {
                        peerDeployment = id;
                        return vertx.deployVerticle(edge);
                      })
                  .compose(
                      id -> {
                        edgeDeployment = id;
                        return deployAdmin();
                      });
            });
  }

  /** Starts the admin listener ({@code /metrics /healthz /readyz}) where the member has one. */
  private Future<Void> deployAdmin() {
    if (member.admin() == null) {
      LOG.info(
          "node {}: no admin listener configured (fleet.members[].admin); /metrics is not served",
          member.id());
      return Future.succeededFuture();
    }
    admin =
        new dev.fleetvault.gateway.http.AdminVerticle(
            member.admin(),
            v -> HealthRoutes.admin(v, metrics, runtime::ready),
            config.limits().maxConnectionsPerAddress());
    return vertx
        .deployVerticle(admin)
        .map(
            id -> {
              adminDeployment = id;
              return null;
            });
  }

  /** Where the admin listener listens (actual port), if the member has one. */
  public java.util.Optional<HostPort> adminAddress() {
    return admin == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(member.admin().withPort(admin.actualPort()));
  }

  /** The distinct hosts of a member's peer, ledger and record-store addresses (its TLS SANs). */
  static java.util.List<String> hostsOf(MemberSpec m) {
    return PeerIdentity.hostsOf(m);
  }

  /**
   * Production without {@code bundle_file}: the signer's envelopes when the bundle comes from the
   * signer, else the verified bundle this node started from.
   */
  private BundleSource verifiedBundleSource() {
    if (verified == null) {
      return BundleSource.NONE;
    }
    java.util.Optional<java.net.URI> signer = config.fleetBundle().flatMap(b -> b.signer());
    if (signer.isPresent()) {
      return new dev.fleetvault.gateway.edge.SignerBundleSource(signer.get());
    }
    com.google.protobuf.ByteString bytes =
        com.google.protobuf.ByteString.copyFrom(verified.envelopeJson());
    return epoch -> bytes;
  }

  /** The fleet artifact this node verified at start (empty in development). */
  public java.util.Optional<dev.fleetvault.bundles.FleetArtifact> artifact() {
    return java.util.Optional.ofNullable(verified).map(FleetBundleBoot.Verified::artifact);
  }

  /** The member id. */
  public String memberId() {
    return member.id();
  }

  /**
   * The trust file the web app at {@code /app} pins: a production node's configured {@code
   * fleet_bundle.trust}, the development fleet's {@code <data_root>/fleet/trust.json}.
   */
  private java.util.Optional<java.nio.file.Path> webAppTrustFile() {
    return java.util.Optional.of(
        config.fleetBundle().map(b -> b.trust()).orElse(config.fleetDir().resolve("trust.json")));
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
   * Serves the validation bundle from {@code source} from now on (replaces the configured {@code
   * bundle_file}); e.g. a {@link dev.fleetvault.gateway.edge.SignerBundleSource}.
   */
  public void bundleSource(BundleSource source) {
    bundleSource.set(source);
  }

  /**
   * Fleet rotation, member side: generates a new HPKE key inside this member's HSM (label {@code
   * fleetvault.<member>.hpke.<generation>}), records its label under the node's data directory
   * (kept across restarts), publishes its public key to the development fleet directory, and opens
   * new envelopes with it while still accepting envelopes sealed to the key it replaces (in-flight
   * sessions) until the next rotation. The command-signing and record-sealing keys stay. Blocking;
   * returns the new 65-byte uncompressed public key. Publishing the new epoch's bundle is the
   * operator's next step.
   */
  public synchronized byte[] rotateHpkeKey() throws Exception {
    NodeSpec spec = config.node(member.id()).orElseThrow();
    MemberKeys rotated =
        dev.fleetvault.gateway.member.HpkeRotation.rotate(
            driver, spec.dataDir(), member.id(), keys);
    keys = rotated;
    if (config.development()) {
      new FleetDirectory(config.fleetDir())
          .publish(
              new FleetDirectory.Entry(
                  member.id(),
                  index,
                  member.client().toString(),
                  rotated.hpkePublic(),
                  rotated.signPublic()));
    }
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
   * Stops the node and releases its HSM; idempotent. The returned future is not bound to the node's
   * Vert.x (which may be closed by then).
   */
  public synchronized Future<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    LOG.info("node {} stopping", member.id());
    java.util.concurrent.CompletableFuture<Void> done =
        new java.util.concurrent.CompletableFuture<>();
    stopped = Future.fromCompletionStage(done);
    release()
        .onComplete(
            ar -> {
              if (!ownsVertx) {
                done.complete(null);
                return;
              }
              Thread closer =
                  new Thread(
                      () -> {
                        try {
                          vertx
                              .close()
                              .toCompletionStage()
                              .toCompletableFuture()
                              .get(60, TimeUnit.SECONDS);
                        } catch (Exception e) {
                          LOG.warn(
                              "node {}: Vert.x did not close cleanly: {}",
                              member.id(),
                              e.toString());
                        }
                        done.complete(null);
                      },
                      "fleetvault-close-" + member.id());
              closer.setDaemon(true);
              closer.start();
            });
    return stopped;
  }

  private Future<Void> release() {
    Future<Void> f = Future.succeededFuture();
    if (adminDeployment != null) {
      f = f.compose(v -> vertx.undeploy(adminDeployment)).otherwiseEmpty().mapEmpty();
    }
    if (edgeDeployment != null) {
      f = f.compose(v -> vertx.undeploy(edgeDeployment)).otherwiseEmpty().mapEmpty();
    }
    if (peerDeployment != null) {
      f = f.compose(v -> vertx.undeploy(peerDeployment)).otherwiseEmpty().mapEmpty();
    }
    return f.compose(
            v -> runtime == null ? Future.<Void>succeededFuture() : runtime.stop().otherwiseEmpty())
        .compose(
            v -> {
              if (peers != null) {
                peers.close();
              }
              if (hsm != null) {
                hsm.close();
              }
              if (crypto != null) {
                crypto.close();
              }
              return vertx.executeBlocking(
                  () -> {
                    if (driver != null) {
                      driver.close();
                    }
                    return null;
                  });
            })
        .otherwiseEmpty()
        .mapEmpty();
  }

  /** Blocking {@link #stop()}. */
  public void close() throws Exception {
    stop().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
