package dev.fleetvault.gateway.peer;

import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.Errors;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The edge's client for the other members' internal {@code Member} service: HTTP/2 over mutual TLS
 * (this node's certificate; the peer's certificate must name the host or IP address the member is
 * configured at and, in production, be exactly that member's certificate from the fleet artifact -
 * in development, chain to the fleet CA; see {@link PeerTrust}), one call per member and phase, the
 * caller's app token forwarded as {@code authorization} so that every member checks it itself. A
 * member's gRPC error comes back as a {@link FleetvaultException} with its code.
 *
 * <p>Every call has a hard deadline covering connect, TLS handshake, request and answer: a member
 * that accepts the connection but never answers (a frozen process, a black-holed network) fails the
 * call with {@link ErrorCode#TIMEOUT} when the deadline passes, and the HTTP/2 stream is cancelled.
 * The deadline is also sent to the member as {@code grpc-timeout}.
 */
public final class PeerClients implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PeerClients.class);
  private final Vertx vertx;
  private final GrpcClient client;
  private final List<MemberSpec> members;

  /** This node's own member, called in-process (0: none). */
  private volatile int localIndex;

  private volatile LocalMember local;

  /**
   * This node's own member, served in the same process: {@link PeerVerticle#serve} with the node's
   * token verifier and member handler. Only the transport differs from a remote member.
   */
  @FunctionalInterface
  public interface LocalMember {
    /** Serves one call as the peer listener would. */
    Future<MemberResponse> serve(
        ServiceMethod<MemberResponse, MemberRequest> rpc,
        MemberRequest request,
        String authorization);
  }

  /**
   * @param vertx the node's Vert.x
   * @param tls this node's certificate, key and the fleet CA
   * @param members the fleet, in member-index order (index 1 = first)
   * @param maxMessageBytes largest answer accepted
   */
  public PeerClients(
      Vertx vertx, DevPki.Material tls, List<MemberSpec> members, int maxMessageBytes) {
    this(vertx, PeerTrust.ca(tls), members, maxMessageBytes);
  }

  /**
   * @param vertx the node's Vert.x
   * @param tls this node's identity and whom it accepts as each member (pinned artifact
   *     certificates in production)
   * @param members the fleet, in member-index order (index 1 = first)
   * @param maxMessageBytes largest answer accepted
   */
  public PeerClients(Vertx vertx, PeerTrust tls, List<MemberSpec> members, int maxMessageBytes) {
    HttpClientOptions http =
        new HttpClientOptions()
            .setSsl(true)
            .setUseAlpn(true)
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setVerifyHost(true)
            .setKeyCertOptions(tls.keyCert())
            .setTrustOptions(tls.clientTrust(members))
            .setConnectTimeout(2000);
    this.vertx = vertx;
    this.client =
        GrpcClient.client(
            vertx,
            new GrpcClientOptions()
                .setMaxMessageSize(maxMessageBytes)
                .setScheduleDeadlineAutomatically(true),
            http);
    this.members = List.copyOf(members);
  }

  /**
   * Calls to member {@code index} (this node's own) go to {@code member} in-process instead of over
   * the network: no TLS, HTTP/2 or protobuf round trip to itself. The member runs the same checks
   * ({@link PeerVerticle#serve}: its own token verification, user match, wire rules); failures come
   * back as the same {@link FleetvaultException} codes and messages, and the same deadline applies.
   */
  public PeerClients local(int index, LocalMember member) {
    if (index < 1 || index > members.size()) {
      throw new IllegalArgumentException("member index " + index + " is not 1.." + members.size());
    }
    this.local = java.util.Objects.requireNonNull(member, "member");
    this.localIndex = index;
    return this;
  }

  /** Number of members. */
  public int size() {
    return members.size();
  }

  /**
   * Calls {@code rpc} on member {@code index} (1-based) with {@code request}, forwarding {@code
   * token}; fails with {@link ErrorCode#TIMEOUT} after {@code timeoutMs} whatever the member or the
   * network does (connect, handshake and answer included). The caller's request id (MDC) goes to
   * the member as {@link dev.fleetvault.gateway.edge.RequestIds#PEER_HEADER} and stays on this
   * side's completion.
   */
  public Future<MemberResponse> call(
      int index,
      ServiceMethod<MemberResponse, MemberRequest> rpc,
      MemberRequest request,
      String token,
      long timeoutMs) {
    MemberSpec m = members.get(index - 1);
    SocketAddress addr = SocketAddress.inetSocketAddress(m.peer().port(), m.peer().host());
    long deadline = Math.max(1, timeoutMs);
    Promise<MemberResponse> result = Promise.promise();
    AtomicReference<GrpcClientRequest<MemberRequest, MemberResponse>> stream =
        new AtomicReference<>();
    String requestId = org.slf4j.MDC.get(dev.fleetvault.gateway.edge.RequestIds.MDC_KEY);
    long timer =
        vertx.setTimer(
            deadline,
            dev.fleetvault.gateway.logging.LogContext.wrap(
                id -> {
                  if (result.tryFail(
                      new FleetvaultException(
                          ErrorCode.TIMEOUT,
                          "member "
                              + index
                              + " ("
                              + m.id()
                              + ") did not answer within "
                              + deadline
                              + " ms"))) {
                    GrpcClientRequest<MemberRequest, MemberResponse> req = stream.get();
                    if (req != null) {
                      req.cancel();
                    }
                  }
                }));
    LocalMember self = local;
    Future<MemberResponse> answer =
        index == localIndex && self != null
            ? callLocal(self, rpc, request, token)
            : callRemote(addr, rpc, request, token, requestId, deadline, stream);
    answer.onComplete(
        dev.fleetvault.gateway.logging.LogContext.wrap(
            ar -> {
              vertx.cancelTimer(timer);
              if (LOG.isDebugEnabled()) {
                LOG.debug(
                    "member {} ({}) answered {}: {}",
                    index,
                    m.id(),
                    rpc.methodName(),
                    ar.succeeded() ? "ok" : Errors.classify(ar.cause()).code().wire());
              }
              if (ar.succeeded()) {
                result.tryComplete(ar.result());
              } else {
                result.tryFail(ar.cause());
              }
            }));
    return result.future();
  }

  private static Future<MemberResponse> callLocal(
      LocalMember self,
      ServiceMethod<MemberResponse, MemberRequest> rpc,
      MemberRequest request,
      String token) {
    Future<MemberResponse> f;
    try {
      f = self.serve(rpc, request, token);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    // the code and message the member would have sent as its gRPC status (Errors.fail)
    return f.recover(err -> Future.failedFuture(Errors.classify(err)));
  }

  private Future<MemberResponse> callRemote(
      SocketAddress addr,
      ServiceMethod<MemberResponse, MemberRequest> rpc,
      MemberRequest request,
      String token,
      String requestId,
      long deadline,
      AtomicReference<GrpcClientRequest<MemberRequest, MemberResponse>> stream) {
    return client
        .request(addr, rpc)
        .compose(
            req -> {
              stream.set(req);
              if (token != null) {
                req.headers().set("authorization", token);
              }
              if (requestId != null) {
                req.headers().set(dev.fleetvault.gateway.edge.RequestIds.PEER_HEADER, requestId);
              }
              req.timeout(deadline, TimeUnit.MILLISECONDS);
              return req.send(request)
                  .compose(
                      resp ->
                          resp.last()
                              .transform(
                                  ar -> {
                                    GrpcStatus status = resp.status();
                                    if (status != null && status != GrpcStatus.OK) {
                                      String wire = resp.trailers().get(Errors.TRAILER);
                                      ErrorCode code =
                                          Errors.fromGrpc(
                                              status,
                                              wire != null
                                                  ? wire
                                                  : resp.headers().get(Errors.TRAILER));
                                      String msg =
                                          resp.statusMessage() == null
                                              ? code.wire()
                                              : resp.statusMessage();
                                      return Future.<MemberResponse>failedFuture(
                                          new FleetvaultException(code, msg));
                                    }
                                    return ar.succeeded()
                                        ? Future.succeededFuture(ar.result())
                                        : Future.<MemberResponse>failedFuture(ar.cause());
                                  }));
            });
  }

  @Override
  public void close() {
    client.close();
  }
}
