package dev.fleetvault.gateway.member;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.FleetvaultNode;
import dev.fleetvault.gateway.impl.MemberRuntime;
import dev.fleetvault.gateway.support.Reply;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.gateway.support.VaultTransport;
import dev.fleetvault.protocol.flow.RecoverResult;
import dev.fleetvault.protocol.flow.Recovery;
import dev.fleetvault.protocol.flow.RecoveryStep;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.MemberResponse;
import dev.fleetvault.protocol.wire.Recover0Response;
import dev.fleetvault.protocol.wire.Recover1Request;
import dev.fleetvault.protocol.wire.Recover1Response;
import dev.fleetvault.protocol.wire.Recover2Request;
import dev.fleetvault.protocol.wire.Recover2Response;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replayed phase-1/phase-2 envelopes, captured at the edge, gain no guess (PROTOCOL.md "Security
 * properties" (a), replays): the ledger, not the in-memory replay cache, holds the count. Each
 * scenario replays a wrong and a successful recovery's envelopes through the real edge after the
 * success reset the counter, and checks with the members' node metrics that nothing was evaluated,
 * and with the next wrong PIN that no guess was spent.
 */
@Tag("process")
class ReplayTest {
  static final SecureRandom RANDOM = new SecureRandom();
  @TempDir static Path dir;
  static TestFleet fleet;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    fleet = TestFleet.start(dir, 3, TestFleet.TEST_REGISTRATION);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  static VaultTransport grpc(int edge) {
    return fleet.grpc(vertx, edge);
  }

  static long evaluations() {
    return fleet.evaluations();
  }

  /** What an edge saw of one recovery: the phase-1 and phase-2 requests it forwarded. */
  record Captured(Recover1Request q1, Recover2Request q2, RecoverResult result) {}

  /** One full recovery through {@code t}, keeping the envelopes the edge forwarded. */
  static Captured recoverCapturing(VaultTransport t, String user, String pin) throws Exception {
    Recovery rec =
        Recovery.begin(
            fleet.realm(),
            TestClient.APP,
            user.getBytes(StandardCharsets.UTF_8),
            SecretBytes.copyOf(pin.getBytes(StandardCharsets.UTF_8)),
            RANDOM);
    String token = fleet.token(user);
    Recover0Response r0 =
        t.call("Recover0", rec.recover0Request(), token, Recover0Response.getDefaultInstance())
            .orThrow();
    Recover1Request q1 = ((RecoveryStep.Send<Recover1Request>) rec.afterRecover0(r0)).request();
    Recover1Response r1 =
        t.call("Recover1", q1, token, Recover1Response.getDefaultInstance()).orThrow();
    Recover2Request q2 = ((RecoveryStep.Send<Recover2Request>) rec.afterRecover1(r1)).request();
    Recover2Response r2 =
        t.call("Recover2", q2, token, Recover2Response.getDefaultInstance()).orThrow();
    return new Captured(q1, q2, rec.afterRecover2(r2));
  }

  /** Re-sends both phases of {@code c} through {@code t}, {@code times} times each. */
  static void replay(VaultTransport t, String user, Captured c, int times) throws Exception {
    String token = fleet.token(user);
    for (int i = 0; i < times; i++) {
      Reply<Recover1Response> r1 =
          t.call("Recover1", c.q1(), token, Recover1Response.getDefaultInstance());
      Reply<Recover2Response> r2 =
          t.call("Recover2", c.q2(), token, Recover2Response.getDefaultInstance());
      // whatever the edge answers (the cached first answer, a member's refusal), the count
      // is checked by the caller
      assertThat(r1.ok() || r1.code() != null).isTrue();
      assertThat(r2.ok() || r2.code() != null).isTrue();
    }
  }

  /** A wrong and a right recovery for a fresh user with L = 3: the counter is back to 3. */
  static Captured[] wrongThenRight(VaultTransport t, String user) throws Exception {
    TestClient c = new TestClient(t, fleet.realm(), fleet::token);
    c.register(user, "1470", new byte[] {1, 4, 7}, 3);
    Captured wrong = recoverCapturing(t, user, "0000");
    assertThat(wrong.result()).isEqualTo(new RecoverResult.WrongPin(2));
    Captured right = recoverCapturing(t, user, "1470");
    assertThat(right.result()).isInstanceOf(RecoverResult.Recovered.class);
    return new Captured[] {wrong, right};
  }

  /** After the replays: exactly L = 3 guesses left (the next wrong PIN leaves 2). */
  static void assertFullCounter(VaultTransport t, String user) throws Exception {
    TestClient c = new TestClient(t, fleet.realm(), fleet::token);
    assertThat(c.recover(user, "1111"))
        .as("no guess was spent by the replays")
        .isEqualTo(new RecoverResult.WrongPin(2));
    assertThat(c.recover(user, "1470")).isInstanceOf(RecoverResult.Recovered.class);
  }

  /**
   * Replays after a successful recovery: the wrong and the successful recovery's phase-1 and
   * phase-2 envelopes, re-sent 5 times each through every edge, evaluate nothing new and spend no
   * guess (the success advanced the generation; the old attempt ids are spent).
   */
  @Test
  void replay_phase1And2AfterSuccessfulRecovery_zeroExtraGuesses() throws Exception {
    String user = "replay-after-success";
    try (VaultTransport t0 = grpc(0);
        VaultTransport t1 = grpc(1);
        VaultTransport t2 = grpc(2)) {
      Captured[] seen = wrongThenRight(t0, user);
      long before = evaluations();
      for (VaultTransport t : new VaultTransport[] {t0, t1, t2}) {
        replay(t, user, seen[0], 5);
        replay(t, user, seen[1], 5);
      }
      assertThat(evaluations() - before).as("evaluations caused by replays").isZero();
      assertFullCounter(t1, user);
    }
  }

  /**
   * A successful recovery's phase 2 re-sent through another edge (the SDK's failover when the first
   * edge's answer was lost) gets the shares the members already released for exactly that request,
   * instead of a refusal as spent: the client learns the secret; nothing is evaluated and no guess
   * is spent. (Found by the separate-hosts fault campaign: the failover could never succeed once
   * the success had reset the counter.)
   */
  @Test
  void recover2_resentThroughAnotherEdgeAfterSuccess_sameSecretNothingEvaluated() throws Exception {
    String user = "phase2-failover";
    try (VaultTransport t0 = grpc(0);
        VaultTransport t1 = grpc(1)) {
      new TestClient(t0, fleet.realm(), fleet::token)
          .register(user, "1470", new byte[] {7, 7, 7}, 3);
      Recovery rec =
          Recovery.begin(
              fleet.realm(),
              TestClient.APP,
              user.getBytes(StandardCharsets.UTF_8),
              SecretBytes.copyOf("1470".getBytes(StandardCharsets.UTF_8)),
              RANDOM);
      String token = fleet.token(user);
      Recover0Response r0 =
          t0.call("Recover0", rec.recover0Request(), token, Recover0Response.getDefaultInstance())
              .orThrow();
      Recover1Request q1 = ((RecoveryStep.Send<Recover1Request>) rec.afterRecover0(r0)).request();
      Recover1Response r1 =
          t0.call("Recover1", q1, token, Recover1Response.getDefaultInstance()).orThrow();
      Recover2Request q2 = ((RecoveryStep.Send<Recover2Request>) rec.afterRecover1(r1)).request();
      // the first edge's answer is "lost": the members committed the success and reset the count
      t0.call("Recover2", q2, token, Recover2Response.getDefaultInstance()).orThrow();
      long before = evaluations();
      Recover2Response again =
          t1.call("Recover2", q2, token, Recover2Response.getDefaultInstance()).orThrow();
      RecoverResult result = rec.afterRecover2(again);
      assertThat(result).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(((RecoverResult.Recovered) result).secret().copy()).containsExactly(7, 7, 7);
      assertThat(evaluations() - before).as("evaluations caused by the re-sent phase 2").isZero();
      assertFullCounter(t1, user);
    }
  }

  /**
   * Replays after every node restarted (the in-memory replay cache is gone): the captured envelopes
   * of a wrong and a successful recovery evaluate nothing and spend no guess; a replay of a counted
   * attempt of the current generation is not counted twice.
   */
  @Test
  void replay_afterNodeRestarts_zeroExtraGuesses() throws Exception {
    String user = "replay-after-restart";
    Captured[] seen;
    Captured current;
    try (VaultTransport t = grpc(0)) {
      seen = wrongThenRight(t, user);
      current = recoverCapturing(t, user, "2222");
      assertThat(current.result()).isEqualTo(new RecoverResult.WrongPin(2));
    }
    for (var m : fleet.config().members()) {
      fleet.fleet().stopNode(m.id());
      fleet.fleet().startNode(m.id());
    }
    try (VaultTransport t = grpc(1)) {
      awaitAllMembersAnswer(t, user);
      long before = evaluations();
      replay(t, user, seen[0], 3);
      replay(t, user, seen[1], 3);
      assertThat(evaluations() - before).as("evaluations caused by stale replays").isZero();
      replay(t, user, current, 3);
      TestClient c = new TestClient(t, fleet.realm(), fleet::token);
      assertThat(c.recover(user, "3333"))
          .as("the current attempt was not counted again")
          .isEqualTo(new RecoverResult.WrongPin(1));
      assertThat(c.recover(user, "1470")).isInstanceOf(RecoverResult.Recovered.class);
    }
  }

  /**
   * Replays after 200,000 other envelopes' answers went through every member's replay cache (it
   * forgot the captured ones): nothing evaluated, no guess spent — the cache was never the defence.
   * The 200,000 entries are put into each running member's cache directly (sealing and sending
   * 600,000 envelopes through the edge would take minutes of CPU); the captured envelopes then go
   * through the real edge.
   */
  @Test
  void replay_after200kOtherEnvelopesThroughReplayCache_zeroExtraGuesses() throws Exception {
    String user = "replay-after-200k";
    try (VaultTransport t = grpc(2)) {
      Captured[] seen = wrongThenRight(t, user);
      byte[] k = new byte[32];
      MemberResponse filler = MemberResponse.getDefaultInstance();
      for (var m : fleet.config().members()) {
        ReplayGuard cache = service(fleet.fleet().node(m.id())).replayCache();
        for (int i = 0; i < 200_000; i++) {
          RANDOM.nextBytes(k);
          cache.remember(ByteBuffer.wrap(k.clone()), filler);
        }
        assertThat(cache.size()).isEqualTo(MemberService.REPLAY_CACHE_ENTRIES);
      }
      long before = evaluations();
      replay(t, user, seen[0], 3);
      replay(t, user, seen[1], 3);
      assertThat(evaluations() - before).as("evaluations caused by replays").isZero();
      assertFullCounter(t, user);
    }
  }

  /** The member service of a running node (test access to its replay cache). */
  static MemberService service(FleetvaultNode node) throws Exception {
    var runtimeField = FleetvaultNode.class.getDeclaredField("runtime");
    runtimeField.setAccessible(true);
    MemberRuntime runtime = (MemberRuntime) runtimeField.get(node);
    var serviceField = MemberRuntime.class.getDeclaredField("service");
    serviceField.setAccessible(true);
    return (MemberService) serviceField.get(runtime);
  }

  /** Phase 0 is free: poll it until every member answers again after restarts. */
  static void awaitAllMembersAnswer(VaultTransport t, String user) throws Exception {
    for (int i = 0; i < 120; i++) {
      var req =
          Recovery.begin(
                  fleet.realm(),
                  TestClient.APP,
                  user.getBytes(StandardCharsets.UTF_8),
                  SecretBytes.copyOf(new byte[] {0}),
                  RANDOM)
              .recover0Request();
      var r = t.call("Recover0", req, fleet.token(user), Recover0Response.getDefaultInstance());
      if (r.ok() && r.body().getResultsList().stream().allMatch(m -> m.hasAnswer())) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("members did not all answer within 60 s after the restarts");
  }
}
