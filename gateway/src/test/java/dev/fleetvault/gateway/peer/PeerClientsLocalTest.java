package dev.fleetvault.gateway.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.protocol.wire.MemberGrpcClient;
import dev.fleetvault.protocol.wire.MemberGrpcService;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: the edge's call to its own member in-process ({@link PeerClients#local}) behaves as the
 * network call does: the member's answer or its error code and message come back, the same deadline
 * applies, the authorization is handed over unchanged, and calls to other members never go to it.
 */
@Timeout(60)
class PeerClientsLocalTest {
  @TempDir Path dir;
  private Vertx vertx;
  private PeerClients peers;

  @BeforeEach
  void up() throws Exception {
    vertx = Vertx.vertx();
    DevPki.Material me = DevPki.ensure(dir.resolve("pki"), "dc1", List.of("127.0.0.1"));
    // peer port 1 on loopback: nothing listens, so a call that went over the network would fail
    peers = new PeerClients(vertx, me, List.of(member("dc1"), member("dc2")), 1 << 20);
  }

  @AfterEach
  void down() throws Exception {
    peers.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void call_ownMember_answeredInProcessWithPhaseAndToken() throws Exception {
    MemberResponse answer = MemberResponse.newBuilder().setVersion(1).build();
    AtomicReference<String> seenToken = new AtomicReference<>();
    AtomicReference<Object> seenPhase = new AtomicReference<>();
    peers.local(
        1,
        (rpc, req, auth) -> {
          seenToken.set(auth);
          seenPhase.set(PeerVerticle.phaseOf(rpc));
          return Future.succeededFuture(answer);
        });
    MemberResponse got =
        await(
            peers.call(
                1,
                MemberGrpcClient.Recover1,
                MemberRequest.getDefaultInstance(),
                "Bearer t",
                5000));
    assertThat(got).isSameAs(answer);
    assertThat(seenToken.get()).isEqualTo("Bearer t");
    assertThat(seenPhase.get()).isEqualTo(dev.fleetvault.protocol.wire.Phase.PHASE_RECOVER1);
  }

  @Test
  void call_ownMemberRefuses_sameCodeAndMessage() throws Exception {
    peers.local(
        1,
        (rpc, req, auth) ->
            Future.failedFuture(
                new FleetvaultException(
                    ErrorCode.PERMISSION_DENIED, "the token is for another user than user_id")));
    Throwable e =
        failure(
            peers.call(
                1, MemberGrpcClient.Recover0, MemberRequest.getDefaultInstance(), "t", 5000));
    assertThat(e).isInstanceOf(FleetvaultException.class);
    assertThat(((FleetvaultException) e).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(e.getMessage()).isEqualTo("the token is for another user than user_id");
  }

  @Test
  void call_ownMemberThrows_classifiedNotPropagatedRaw() throws Exception {
    peers.local(
        1,
        (rpc, req, auth) -> {
          throw new IllegalStateException("boom");
        });
    Throwable e =
        failure(
            peers.call(
                1, MemberGrpcClient.Recover0, MemberRequest.getDefaultInstance(), "t", 5000));
    assertThat(e).isInstanceOf(FleetvaultException.class);
    assertThat(((FleetvaultException) e).code()).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void call_ownMemberNeverAnswers_timeoutAtDeadline() throws Exception {
    peers.local(1, (rpc, req, auth) -> Promise.<MemberResponse>promise().future());
    Throwable e =
        failure(
            peers.call(1, MemberGrpcClient.Recover2, MemberRequest.getDefaultInstance(), "t", 300));
    assertThat(((FleetvaultException) e).code()).isEqualTo(ErrorCode.TIMEOUT);
  }

  @Test
  void call_otherMember_neverServedLocally() throws Exception {
    AtomicInteger local = new AtomicInteger();
    peers.local(
        1,
        (rpc, req, auth) -> {
          local.incrementAndGet();
          return Future.succeededFuture(MemberResponse.getDefaultInstance());
        });
    Throwable e =
        failure(
            peers.call(
                2, MemberGrpcClient.Recover0, MemberRequest.getDefaultInstance(), "t", 3000));
    assertThat(e).as("member 2 has no listener").isNotNull();
    assertThat(local.get()).isZero();
  }

  @Test
  void phaseOf_everyMemberMethod_mapped() {
    // the edge calls with the client-side methods, the listener binds the server-side ones: same
    // phases
    assertThat(PeerVerticle.phaseOf(MemberGrpcService.Register1))
        .isEqualTo(dev.fleetvault.protocol.wire.Phase.PHASE_REGISTER1);
    assertThat(PeerVerticle.phaseOf(MemberGrpcClient.Register1))
        .isEqualTo(dev.fleetvault.protocol.wire.Phase.PHASE_REGISTER1);
    assertThat(PeerVerticle.phaseOf(MemberGrpcClient.Register2))
        .isEqualTo(dev.fleetvault.protocol.wire.Phase.PHASE_REGISTER2);
    assertThat(PeerVerticle.phaseOf(MemberGrpcClient.Recover0))
        .isEqualTo(dev.fleetvault.protocol.wire.Phase.PHASE_RECOVER0);
    assertThat(PeerVerticle.phaseOf(MemberGrpcClient.Recover1))
        .isEqualTo(dev.fleetvault.protocol.wire.Phase.PHASE_RECOVER1);
    assertThat(PeerVerticle.phaseOf(MemberGrpcClient.Recover2))
        .isEqualTo(dev.fleetvault.protocol.wire.Phase.PHASE_RECOVER2);
    assertThat(PeerVerticle.phaseOf(MemberGrpcClient.Delete))
        .isEqualTo(dev.fleetvault.protocol.wire.Phase.PHASE_DELETE);
  }

  private static MemberSpec member(String id) {
    return new MemberSpec(
        id,
        id,
        new HostPort("127.0.0.1", 1),
        new HostPort("127.0.0.1", 1),
        new HostPort("127.0.0.1", 2),
        new HostPort("127.0.0.1", 3));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> f) throws Exception {
    return f.toCompletionStage()
        .toCompletableFuture()
        .handle(
            (r, e) ->
                e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause()
                    : e)
        .get(30, TimeUnit.SECONDS);
  }
}
