package dev.fleetvault.gateway.peer;

import dev.fleetvault.gateway.auth.TokenVerifier;
import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.Errors;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.member.MemberHandler;
import dev.fleetvault.protocol.wire.MemberGrpcService;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResponse;
import dev.fleetvault.protocol.wire.Phase;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;

/**
 * The internal {@code Member} gRPC service of one node, on its own port, mutual TLS required
 * (client certificates must be a member's certificate from the fleet artifact in production, or
 * chain to the fleet CA in development; see {@link PeerTrust}). Each call's forwarded app token is
 * verified again here and must name the request's user; then the {@link MemberHandler} runs.
 */
public final class PeerVerticle extends AbstractVerticle {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PeerVerticle.class);
  private final HostPort bind;
  private final PeerTrust tls;
  private final int maxMessageBytes;
  private final TokenVerifier tokens;
  private final MemberHandler member;
  private HttpServer server;
  private volatile int actualPort;
  private dev.fleetvault.gateway.config.LimitsSpec limits =
      dev.fleetvault.gateway.config.LimitsSpec.DEFAULTS;

  /**
   * Connection hygiene of the peer listener (idle timeout, HTTP/2 streams per connection), the
   * node's {@code limits}; {@link dev.fleetvault.gateway.config.LimitsSpec#DEFAULTS} unless set
   * before deployment.
   */
  public PeerVerticle limits(dev.fleetvault.gateway.config.LimitsSpec limits) {
    this.limits = limits;
    return this;
  }

  /**
   * @param bind where to listen
   * @param tls certificate, key and CA
   * @param maxMessageBytes largest request
   * @param tokens verifier for the forwarded app token
   * @param member the member role
   */
  public PeerVerticle(
      HostPort bind,
      DevPki.Material tls,
      int maxMessageBytes,
      TokenVerifier tokens,
      MemberHandler member) {
    this(bind, PeerTrust.ca(tls), maxMessageBytes, tokens, member);
  }

  /**
   * @param bind where to listen
   * @param tls this node's identity and whom it accepts as callers (pinned artifact certificates in
   *     production)
   * @param maxMessageBytes largest request
   * @param tokens verifier for the forwarded app token
   * @param member the member role
   */
  public PeerVerticle(
      HostPort bind,
      PeerTrust tls,
      int maxMessageBytes,
      TokenVerifier tokens,
      MemberHandler member) {
    this.bind = bind;
    this.tls = tls;
    this.maxMessageBytes = maxMessageBytes;
    this.tokens = tokens;
    this.member = member;
  }

  @Override
  public void start(Promise<Void> startPromise) {
    GrpcServer grpc =
        GrpcServer.server(
            vertx,
            new GrpcServerOptions()
                .setMaxMessageSize(
                    Math.min(
                        maxMessageBytes,
                        dev.fleetvault.protocol.wire.WireLimits.MAX_MEMBER_REQUEST)));
    bind(grpc, MemberGrpcService.Register1, Phase.PHASE_REGISTER1);
    bind(grpc, MemberGrpcService.Register2, Phase.PHASE_REGISTER2);
    bind(grpc, MemberGrpcService.Recover0, Phase.PHASE_RECOVER0);
    bind(grpc, MemberGrpcService.Recover1, Phase.PHASE_RECOVER1);
    bind(grpc, MemberGrpcService.Recover2, Phase.PHASE_RECOVER2);
    bind(grpc, MemberGrpcService.Delete, Phase.PHASE_DELETE);
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(bind.host())
            .setPort(bind.port())
            .setSsl(true)
            .setUseAlpn(true)
            .setClientAuth(ClientAuth.REQUIRED)
            .setKeyCertOptions(tls.keyCert())
            .setTrustOptions(tls.serverTrust());
    options
        .setIdleTimeout(limits.idleTimeoutMs())
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .setSslHandshakeTimeout(limits.idleTimeoutMs())
        .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        // with SNI on, Vert.x reads the ClientHello through Netty's SniHandler, whose handshake
        // timeout runs
        // from accept: a connection that never sends a ClientHello is closed after idle_timeout_ms
        // (without it
        // Vert.x 5.0.7 starts the timeout only once a handshake began). No certificate is selected
        // by name:
        // the one key/certificate serves every name, as before.
        .setSni(true)
        .setMaxHeaderSize(16384)
        .setMaxInitialLineLength(4096)
        .setInitialSettings(
            new io.vertx.core.http.Http2Settings()
                .setMaxConcurrentStreams(limits.maxConcurrentStreams()));
    server =
        new dev.fleetvault.net.ConnectionLimit(limits.maxConnectionsPerAddress())
            .guard(vertx.createHttpServer(options))
            .requestHandler(grpc);
    server
        .listen()
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                actualPort = ar.result().actualPort();
                startPromise.complete();
              } else {
                startPromise.fail(ar.cause());
              }
            });
  }

  private void bind(
      GrpcServer grpc, ServiceMethod<MemberRequest, MemberResponse> rpc, Phase phase) {
    grpc.callHandler(
        rpc,
        call -> {
          call.invalidMessageHandler(
              invalid ->
                  Errors.fail(
                      call.response(),
                      new FleetvaultException(
                          ErrorCode.BAD_REQUEST, "message could not be decoded")));
          call.exceptionHandler(err -> {});
          // The calling node's request id (checked form, else a new one): this member's log lines
          // for the call carry it too.
          String requestId =
              dev.fleetvault.gateway.edge.RequestIds.fromPeer(
                  call.headers().get(dev.fleetvault.gateway.edge.RequestIds.PEER_HEADER));
          call.last()
              .onSuccess(
                  dev.fleetvault.gateway.edge.RequestIds.wrap(
                      requestId,
                      req ->
                          serve(tokens, member, phase, req, call.headers().get("authorization"))
                              .onComplete(
                                  dev.fleetvault.gateway.edge.RequestIds.wrap(
                                      requestId,
                                      ar -> {
                                        if (LOG.isDebugEnabled()) {
                                          LOG.debug(
                                              "served {} for a peer: {}",
                                              phase,
                                              ar.succeeded()
                                                  ? "ok"
                                                  : Errors.classify(ar.cause()).code().wire());
                                        }
                                        if (ar.succeeded()) {
                                          call.response().end(ar.result());
                                        } else {
                                          Errors.fail(call.response(), ar.cause());
                                        }
                                      }))))
              .onFailure(
                  err ->
                      Errors.fail(
                          call.response(),
                          new FleetvaultException(
                              ErrorCode.BAD_REQUEST, "message could not be decoded")));
        });
  }

  /**
   * One forwarded call as every member serves it, whichever way it arrived (this listener, or the
   * node's own edge in-process, {@link PeerClients#local}): the request's version and suite, the
   * forwarded token verified here and naming the request's user (or that user's passkey entry), a
   * sealed request present; then the {@link MemberHandler} (which checks the request's wire rules
   * and opens the envelope).
   */
  public static Future<MemberResponse> serve(
      TokenVerifier tokens,
      MemberHandler member,
      Phase phase,
      MemberRequest req,
      String authorization) {
    try {
      dev.fleetvault.protocol.wire.WireVersion.check(
          "MemberRequest", req.getVersion(), req.getSuite());
    } catch (dev.fleetvault.protocol.wire.WireFormatException e) {
      return Future.failedFuture(Errors.wire(e));
    }
    return tokens
        .verify(authorization)
        .compose(
            caller -> {
              // the token's user, or that user's passkey entry (PROTOCOL.md 21.1)
              if (!dev.fleetvault.protocol.passkey.PasskeyEntry.authorizes(
                  caller.userId(), req.getUserId().toByteArray())) {
                throw new FleetvaultException(
                    ErrorCode.PERMISSION_DENIED, "the token is for another user than user_id");
              }
              if (req.getRequest().getMember() == 0) {
                throw new FleetvaultException(ErrorCode.BAD_REQUEST, "no sealed request");
              }
              return member.handle(phase, req, caller);
            });
  }

  /**
   * The phase a {@code Member} service method serves (client or server side), by its full method
   * name.
   */
  public static Phase phaseOf(ServiceMethod<?, ?> rpc) {
    String name = rpc.fullMethodName();
    for (Object[] m :
        new Object[][] {
          {MemberGrpcService.Register1, Phase.PHASE_REGISTER1},
          {MemberGrpcService.Register2, Phase.PHASE_REGISTER2},
          {MemberGrpcService.Recover0, Phase.PHASE_RECOVER0},
          {MemberGrpcService.Recover1, Phase.PHASE_RECOVER1},
          {MemberGrpcService.Recover2, Phase.PHASE_RECOVER2},
          {MemberGrpcService.Delete, Phase.PHASE_DELETE}
        }) {
      if (((ServiceMethod<?, ?>) m[0]).fullMethodName().equals(name)) {
        return (Phase) m[1];
      }
    }
    throw new IllegalArgumentException("not a Member service method: " + name);
  }

  @Override
  public void stop(Promise<Void> stopPromise) {
    if (server == null) {
      stopPromise.complete();
    } else {
      server.close().onComplete(ar -> stopPromise.complete());
    }
  }

  /** The bound port. */
  public int actualPort() {
    return actualPort;
  }
}
