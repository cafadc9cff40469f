package dev.fleetvault.gateway.impl;

import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.config.NodeSpec;
import dev.fleetvault.gateway.crypto.CryptoExecutor;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.hsm.HsmExecutor;
import dev.fleetvault.gateway.http.NodeMetrics;
import dev.fleetvault.gateway.member.MemberHandler;
import dev.fleetvault.gateway.member.MemberKeys;
import dev.fleetvault.gateway.member.MemberService;
import dev.fleetvault.protocol.flow.MemberLogic;
import dev.fleetvault.protocol.wire.StatusResponse;
import dev.fleetvault.quorum.CommandSigner;
import dev.fleetvault.quorum.QuorumConfig;
import dev.fleetvault.quorum.QuorumMember;
import dev.fleetvault.quorum.QuorumNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the member role needs beyond the transports: takes every member's public keys from its
 * {@link dev.fleetvault.gateway.fleet.PeerKeys} (the verified fleet artifact in production; the
 * development fleet directory, waiting for each node to publish, in development), starts this
 * node's quorum participant (ledger + record store) with the members' HSM command keys, builds the
 * member service whose ledger commands are signed by this member's HSM key, and answers status and
 * readiness.
 */
public final class MemberRuntime implements dev.fleetvault.gateway.edge.StatusSource {
  private static final Logger LOG = LoggerFactory.getLogger(MemberRuntime.class);

  /** How long a node waits for the other members' public keys and a quorum on start. */
  public static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final Vertx vertx;
  private final NodeConfig config;
  private final NodeSpec spec;
  private final MemberSpec member;
  private final int index;
  private final HsmExecutor hsm;
  private final CryptoExecutor crypto;
  private final MemberKeys keys;
  private volatile dev.fleetvault.quorum.ChannelSecurity channelSecurity;
  private volatile dev.fleetvault.gateway.fleet.PeerKeys peerKeys;
  private final NodeMetrics metrics;
  private final HttpClient probe;
  private volatile QuorumNode quorum;
  private volatile MemberService service;
  private volatile dev.fleetvault.gateway.edge.BundleSource bundles =
      dev.fleetvault.gateway.edge.BundleSource.NONE;

  /** Wires the parts; nothing starts until {@link #start()}. */
  public MemberRuntime(
      Vertx vertx,
      NodeConfig config,
      NodeSpec spec,
      MemberSpec member,
      int index,
      HsmExecutor hsm,
      CryptoExecutor crypto,
      MemberKeys keys,
      NodeMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.spec = spec;
    this.member = member;
    this.index = index;
    this.hsm = hsm;
    this.crypto = crypto;
    this.keys = keys;
    this.metrics = metrics;
    this.probe =
        vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(500).setIdleTimeout(5));
  }

  /** Starts the quorum participant and the member service. */
  public Future<Void> start() {
    var context = vertx.getOrCreateContext();
    return vertx
        .executeBlocking(
            () -> {
              List<QuorumMember> members = new ArrayList<>();
              List<dev.fleetvault.gateway.fleet.PeerKeys.Peer> peers =
                  java.util.Objects.requireNonNull(peerKeys, "peer keys not set")
                      .peers(config.members(), START_TIMEOUT);
              for (int i = 0; i < config.members().size(); i++) {
                MemberSpec m = config.members().get(i);
                members.add(
                    new QuorumMember(
                        i + 1,
                        m.raft().host(),
                        m.cluster().port(),
                        m.raft().port(),
                        peers.get(i).signingPublic()));
              }
              QuorumConfig qc =
                  QuorumConfig.of(
                          index,
                          1L,
                          members,
                          member.raft().host(),
                          spec.dataDir().resolve("quorum"))
                      .withStartTimeout(START_TIMEOUT)
                      .withChannelSecurity(
                          java.util.Objects.requireNonNull(
                              channelSecurity, "quorum channel security not set"));
              LOG.info("member {} joining the quorum", member.id());
              return QuorumNode.start(qc);
            })
        .map(
            node -> {
              quorum = node;
              CommandSigner signer =
                  bytes -> hsm.call("sign", d -> d.sign(keys.sign(), bytes)).toCompletionStage();
              service =
                  new MemberService(
                      index,
                      new MemberLogic(
                          index,
                          keys.hpkePublic(),
                          config.fleetId(),
                          dev.fleetvault.gateway.member.RegistrationPolicies.of(
                              config.registration(), config.members().size()),
                          new SecureRandom()),
                      hsm,
                      crypto,
                      keys,
                      node.memberLedger(signer),
                      node.records(),
                      node::majorityReachable,
                      metrics,
                      context,
                      app ->
                          config.apps().stream()
                              .filter(a -> a.id().equals(app))
                              .findFirst()
                              .flatMap(dev.fleetvault.gateway.config.AppSpec::passkey));
              return null;
            });
  }

  /**
   * Rotates this member's HPKE key: new envelopes open with {@code handle} (public key {@code
   * publicKey}, 65-byte uncompressed); the current key is kept as the previous one for sessions
   * already sealed to it. No-op before {@link #start()} completed.
   */
  public void rotateHpke(dev.fleetvault.driver.spi.KeyHandle handle, byte[] publicKey) {
    MemberService s = service;
    if (s != null) {
      s.rotateHpke(handle, publicKey);
    }
  }

  /**
   * Sets the TLS identity and trust set of the quorum's two JGroups channels (the same material as
   * the peer service's mutual TLS); required before {@link #start()}.
   */
  public void channelSecurity(dev.fleetvault.quorum.ChannelSecurity security) {
    this.channelSecurity = security;
  }

  /**
   * Sets where the members' public keys come from (the verified fleet artifact, or the development
   * fleet directory); required before {@link #start()}.
   */
  public void peerKeys(dev.fleetvault.gateway.fleet.PeerKeys keys) {
    this.peerKeys = keys;
  }

  /** Sets the validation-bundle source carried on status answers. */
  public void bundles(dev.fleetvault.gateway.edge.BundleSource source) {
    this.bundles = source;
  }

  /** Stops the quorum participant. */
  public Future<Void> stop() {
    probe.close();
    QuorumNode q = quorum;
    quorum = null;
    if (q == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(
        () -> {
          q.close();
          return null;
        });
  }

  /** The member role (refuses with NOT_READY until started). */
  public MemberHandler handler() {
    return (phase, request, caller) -> {
      MemberService s = service;
      if (s == null || quorum == null) {
        return Future.failedFuture(
            new FleetvaultException(ErrorCode.NOT_READY, "this member is not serving"));
      }
      return s.handle(phase, request, caller);
    };
  }

  /** Whether this node reaches a majority and its HSM answered its last call ({@code /readyz}). */
  @Override
  public Future<Boolean> ready() {
    QuorumNode q = quorum;
    return Future.succeededFuture(q != null && q.majorityReachable() && hsm.healthy());
  }

  /** The quorum participant, or null before it started (metrics). */
  public QuorumNode quorum() {
    return quorum;
  }

  /** This node's view of the fleet: members whose {@code /healthz} answers are reachable. */
  @Override
  public Future<StatusResponse> status(long knownBundleEpoch) {
    return status(knownBundleEpoch, 0);
  }

  /**
   * As {@link #status(long)}, with the validation bundle for a client whose last accepted audit-log
   * checkpoint had {@code knownTreeSize} entries (fetched off the event loop).
   */
  @Override
  public Future<StatusResponse> status(long knownBundleEpoch, long knownTreeSize) {
    dev.fleetvault.gateway.edge.BundleSource source = bundles;
    Future<com.google.protobuf.ByteString> bundle =
        vertx.executeBlocking(() -> source.bundleFor(knownBundleEpoch, knownTreeSize), false);
    List<Future<Boolean>> probes = new ArrayList<>();
    for (MemberSpec m : config.members()) {
      probes.add(
          m == member
              ? Future.succeededFuture(true)
              : probe
                  .request(
                      new RequestOptions()
                          .setMethod(HttpMethod.GET)
                          .setHost(m.client().host())
                          .setPort(m.client().port())
                          .setURI("/healthz")
                          .setTimeout(1000))
                  .compose(req -> req.send())
                  .map(resp -> resp.statusCode() == 200)
                  .otherwise(false));
    }
    probes.add(bundle.map(x -> true));
    return Future.join(probes)
        .transform(
            x -> {
              probes.remove(probes.size() - 1);
              StatusResponse.Builder b =
                  StatusResponse.newBuilder()
                      .setVersion(1)
                      .setSuite(1)
                      .setFleetId(config.fleetId())
                      .setMembers(config.members().size())
                      .setThreshold(config.threshold());
              for (int i = 0; i < probes.size(); i++) {
                if (probes.get(i).succeeded() && probes.get(i).result()) {
                  b.addReachableMembers(i + 1);
                }
              }
              QuorumNode q = quorum;
              b.setMajorityReachable(q != null && q.majorityReachable());
              b.setLeader(q == null ? 0 : q.leader().orElse(0));
              b.setValidationBundle(
                  bundle.succeeded() ? bundle.result() : com.google.protobuf.ByteString.EMPTY);
              return Future.succeededFuture(b.build());
            });
  }
}
