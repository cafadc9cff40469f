package dev.fleetvault.gateway.support;

import com.google.protobuf.ByteString;
import dev.fleetvault.gateway.edge.VaultMethod;
import dev.fleetvault.gateway.errors.Errors;
import dev.fleetvault.gateway.peer.DevPki;
import dev.fleetvault.gateway.peer.PeerClients;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResult;
import dev.fleetvault.protocol.wire.MemberUnavailable;
import dev.fleetvault.protocol.wire.SealedRequest;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test double of a compromised edge: it holds a certificate from the fleet CA and calls the
 * members' internal service directly, forwarding, replaying or swapping envelopes at will.
 */
public final class EvilEdge implements AutoCloseable {
  private final PeerClients peers;

  /** An edge with its own certificate from the fleet's development CA. */
  public EvilEdge(Vertx vertx, TestFleet fleet) throws Exception {
    DevPki.Material tls = DevPki.ensure(fleet.config().fleetDir().resolve("pki"), "evil-edge");
    this.peers = new PeerClients(vertx, tls, fleet.config().members(), 1 << 20);
  }

  /** Sends {@code envelope} to member {@code to}: the answer, or the member's error code. */
  public MemberResult send(
      VaultMethod method, int to, ByteString userId, SealedRequest envelope, String token)
      throws Exception {
    MemberRequest req =
        MemberRequest.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setUserId(userId)
            .setRequest(envelope)
            .build();
    return peers
        .call(to, method.memberRpc(), req, "Bearer " + token, 20_000)
        .map(r -> MemberResult.newBuilder().setMember(to).setAnswer(r.getAnswer()).build())
        .otherwise(
            err ->
                MemberResult.newBuilder()
                    .setMember(to)
                    .setUnavailable(
                        MemberUnavailable.newBuilder()
                            .setReason(Errors.classify(err).code().wire()))
                    .build())
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  /**
   * Sends {@code envelope} to member {@code to} and returns the member's error as {@code "code:
   * message"} (the message the member itself gave), or "answered".
   */
  public String refusal(
      VaultMethod method, int to, ByteString userId, SealedRequest envelope, String token)
      throws Exception {
    MemberRequest req =
        MemberRequest.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setUserId(userId)
            .setRequest(envelope)
            .build();
    return peers
        .call(to, method.memberRpc(), req, "Bearer " + token, 20_000)
        .map(r -> "answered")
        .otherwise(err -> Errors.classify(err).code().wire() + ": " + err.getMessage())
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  /** Forwards every envelope honestly and builds the response message. */
  public com.google.protobuf.Message forward(
      VaultMethod method, com.google.protobuf.Message request, String token) throws Exception {
    VaultMethod.RequestView v = method.view(request);
    List<MemberResult> results = new ArrayList<>();
    for (SealedRequest s : v.requests()) {
      results.add(send(method, s.getMember(), v.userId(), s, token));
    }
    return method.response(results, ByteString.EMPTY);
  }

  @Override
  public void close() {
    peers.close();
  }
}
