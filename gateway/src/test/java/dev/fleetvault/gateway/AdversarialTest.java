package dev.fleetvault.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fleetvault.gateway.edge.VaultMethod;
import dev.fleetvault.gateway.support.EdgeError;
import dev.fleetvault.gateway.support.EvilEdge;
import dev.fleetvault.gateway.support.GrpcTransport;
import dev.fleetvault.gateway.support.Reply;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.gateway.support.VaultTransport;
import dev.fleetvault.gateway.support.WsTransport;
import dev.fleetvault.protocol.flow.RecoverResult;
import dev.fleetvault.protocol.flow.Recovery;
import dev.fleetvault.protocol.flow.RecoveryStep;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.DeleteRequest;
import dev.fleetvault.protocol.wire.DeleteResponse;
import dev.fleetvault.protocol.wire.MemberResult;
import dev.fleetvault.protocol.wire.Recover0Request;
import dev.fleetvault.protocol.wire.Recover0Response;
import dev.fleetvault.protocol.wire.Recover1Request;
import dev.fleetvault.protocol.wire.Recover1Response;
import dev.fleetvault.protocol.wire.Recover2Request;
import dev.fleetvault.protocol.wire.Recover2Response;
import dev.fleetvault.protocol.wire.SealedRequest;
import dev.fleetvault.protocol.wire.StatusRequest;
import dev.fleetvault.protocol.wire.StatusResponse;
import dev.fleetvault.protocol.wire.WsResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may call, bad input on both transports, and a misbehaving edge: every refusal has a clear
 * code, changes nothing, and the node keeps serving.
 */
@Tag("process")
class AdversarialTest {
  static TestFleet fleet;
  static Vertx vertx;
  static final SecureRandom RANDOM = new SecureRandom();

  @BeforeAll
  static void start() throws Exception {
    fleet = dev.fleetvault.gateway.support.SharedFleet.get();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  static Stream<String> transports() {
    return Stream.of("grpc", "websocket");
  }

  static VaultTransport open(String kind) throws Exception {
    LocalFleet.Edge e = fleet.fleet().edges().get(0);
    switch (kind) {
      case "grpc":
        return new GrpcTransport(vertx, e.host(), e.port());
      default:
        return new WsTransport(vertx, e.host(), e.port());
    }
  }

  static TestClient client(VaultTransport t) throws Exception {
    return new TestClient(t, fleet.realm(), fleet::token);
  }

  static Recover0Request recover0For(String user) throws Exception {
    return Recovery.begin(
            fleet.realm(),
            TestClient.APP,
            user.getBytes(StandardCharsets.UTF_8),
            SecretBytes.copyOf(new byte[] {1}),
            RANDOM)
        .recover0Request();
  }

  static void assertStillServing(VaultTransport t) throws Exception {
    StatusResponse s =
        t.call(
                "Status",
                StatusRequest.newBuilder().setVersion(1).setSuite(1).build(),
                null,
                StatusResponse.getDefaultInstance())
            .orThrow();
    assertThat(s.getMembers()).isEqualTo(3);
  }

  // ---------------------------------------------------------------- who may call

  @ParameterizedTest
  @MethodSource("transports")
  void call_tokenForOtherUser_permissionDeniedAndVictimUntouched(String kind) throws Exception {
    String victim = "victim-" + kind;
    try (VaultTransport t = open(kind)) {
      TestClient c = client(t);
      c.register(victim, "8642", new byte[] {8, 6}, 5);
      Reply<Recover0Response> r =
          t.call(
              "Recover0",
              recover0For(victim),
              fleet.token("attacker-" + kind),
              Recover0Response.getDefaultInstance());
      assertThat(r.code()).isEqualTo("permission_denied");
      assertThat(r.status()).isEqualTo("PERMISSION_DENIED");
      DeleteRequest del =
          dev.fleetvault.protocol.flow.Deletion.begin(
                  fleet.realm(), TestClient.APP, victim.getBytes(StandardCharsets.UTF_8), RANDOM)
              .request();
      Reply<DeleteResponse> d =
          t.call(
              "Delete", del, fleet.token("attacker-" + kind), DeleteResponse.getDefaultInstance());
      assertThat(d.code()).isEqualTo("permission_denied");
      assertThat(c.recover(victim, "8642")).isInstanceOf(RecoverResult.Recovered.class);
    }
  }

  @ParameterizedTest
  @MethodSource("transports")
  void call_missingExpiredOrUnsignedToken_unauthenticated(String kind) throws Exception {
    String user = "tok-" + kind;
    long now = System.currentTimeMillis() / 1000;
    String expired =
        fleet.tokenWithClaims(
            new JsonObject().put("sub", user).put("iss", "dev-app").put("exp", now - 3600));
    String noExp = fleet.tokenWithClaims(new JsonObject().put("sub", user).put("iss", "dev-app"));
    String otherIssuer =
        fleet.tokenWithClaims(
            new JsonObject().put("sub", user).put("iss", "other-app").put("exp", now + 300));
    String wrongAudience =
        fleet.tokenWithClaims(
            new JsonObject()
                .put("sub", user)
                .put("iss", "dev-app")
                .put("aud", "another-fleet")
                .put("iat", now)
                .put("exp", now + 300));
    String twentyYears =
        fleet.tokenWithClaims(
            new JsonObject()
                .put("sub", user)
                .put("iss", "dev-app")
                .put("aud", "test")
                .put("iat", now)
                .put("exp", now + 20L * 365 * 24 * 3600));
    String valid = fleet.token(user);
    String[] parts = valid.split("\\.");
    String forged =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    new JsonObject()
                        .put("sub", "someone-else")
                        .put("iss", "dev-app")
                        .put("exp", now + 300)
                        .encode()
                        .getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    try (VaultTransport t = open(kind)) {
      for (String token :
          Arrays.asList(
              null,
              "",
              "not-a-jwt",
              expired,
              noExp,
              otherIssuer,
              forged,
              wrongAudience,
              twentyYears,
              twentyYears)) {
        Reply<Recover0Response> r =
            t.call("Recover0", recover0For(user), token, Recover0Response.getDefaultInstance());
        assertThat(r.code()).as("token %s", token).isEqualTo("unauthenticated");
        assertThat(r.status()).isEqualTo("UNAUTHENTICATED");
      }
      assertStillServing(t);
    }
  }

  @ParameterizedTest
  @MethodSource("transports")
  void call_userIdOf129Bytes_refused(String kind) throws Exception {
    String u128 = "\u00e9".repeat(64);
    String u129 = u128 + "x";
    try (VaultTransport t = open(kind)) {
      // a token cannot name it
      Reply<Recover0Response> r =
          t.call(
              "Recover0",
              recover0For(u128),
              fleet.token(u129),
              Recover0Response.getDefaultInstance());
      assertThat(r.code()).isEqualTo("unauthenticated");
      // and a request cannot carry it
      Recover0Request long1 =
          recover0For(u128).toBuilder()
              .setUserId(com.google.protobuf.ByteString.copyFromUtf8(u129))
              .build();
      r = t.call("Recover0", long1, fleet.token(u128), Recover0Response.getDefaultInstance());
      assertThat(r.code()).isEqualTo("bad_request");
      assertStillServing(t);
    }
  }

  // ---------------------------------------------------------------- bad input

  @ParameterizedTest
  @MethodSource("transports")
  void call_unknownMessageVersion_unsupportedVersion(String kind) throws Exception {
    String user = "ver-" + kind;
    try (VaultTransport t = open(kind)) {
      Recover0Request v2 = recover0For(user).toBuilder().setVersion(2).build();
      Reply<Recover0Response> r =
          t.call("Recover0", v2, fleet.token(user), Recover0Response.getDefaultInstance());
      assertThat(r.code()).isEqualTo("unsupported_version");
      assertThat(r.status()).isEqualTo("INVALID_ARGUMENT");
      Recover0Request suite9 = recover0For(user).toBuilder().setSuite(9).build();
      assertThat(
              t.call("Recover0", suite9, fleet.token(user), Recover0Response.getDefaultInstance())
                  .code())
          .isEqualTo("unsupported_version");
      assertStillServing(t);
    }
  }

  /**
   * Invalid envelope keys (off-curve, all-zero, compressed) are refused BAD_REQUEST by the member
   * core before any HSM ECDH (issue 10 item 7), and cost no guess.
   */
  @ParameterizedTest
  @MethodSource("transports")
  void recover1_invalidCurvePointsInEnvelopes_badRequestNoGuessSpent(String kind) throws Exception {
    String user = "points-" + kind;
    try (VaultTransport t = open(kind)) {
      TestClient c = client(t);
      c.register(user, "1357", new byte[] {1}, 5);
      Recovery rec =
          Recovery.begin(
              fleet.realm(),
              TestClient.APP,
              user.getBytes(StandardCharsets.UTF_8),
              SecretBytes.copyOf("0000".getBytes(StandardCharsets.UTF_8)),
              RANDOM);
      Recover0Response r0 =
          c.call(
              "Recover0",
              rec.recover0Request(),
              fleet.token(user),
              Recover0Response.getDefaultInstance());
      Recover1Request good = ((RecoveryStep.Send<Recover1Request>) rec.afterRecover0(r0)).request();
      byte[] offCurve = new byte[65];
      offCurve[0] = 4;
      Arrays.fill(offCurve, 1, 65, (byte) 1);
      byte[] infinityish = new byte[65];
      byte[] compressedTag = good.getRequests(0).getEnc().toByteArray();
      compressedTag[0] = 2;
      long ecdhBefore = hsmCalls("ecdh");
      for (byte[] enc : new byte[][] {offCurve, infinityish, compressedTag}) {
        Recover1Request.Builder bad = good.toBuilder();
        for (int i = 0; i < bad.getRequestsCount(); i++) {
          bad.setRequests(i, bad.getRequests(i).toBuilder().setEnc(ByteString.copyFrom(enc)));
        }
        Reply<Recover1Response> r =
            t.call(
                "Recover1", bad.build(), fleet.token(user), Recover1Response.getDefaultInstance());
        assertThat(r.code()).isEqualTo("bad_request");
        assertThat(r.status()).isEqualTo("INVALID_ARGUMENT");
      }
      assertThat(hsmCalls("ecdh"))
          .as("no invalid enc reached an HSM (validated before ECDH)")
          .isEqualTo(ecdhBefore);
      assertThat(c.recover(user, "0000"))
          .as("nothing was counted")
          .isEqualTo(new RecoverResult.WrongPin(4));
      assertStillServing(t);
    }
  }

  @Test
  void grpc_garbageAndOversizedMessages_clearStatusAndStillServing() throws Exception {
    LocalFleet.Edge e = fleet.fleet().edges().get(1);
    GrpcClient raw =
        GrpcClient.client(
            vertx,
            new GrpcClientOptions().setMaxMessageSize(1 << 22),
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    try {
      byte[] garbage = new byte[300];
      RANDOM.nextBytes(garbage);
      garbage[0] = (byte) 0xff;
      assertThat(rawCall(raw, e, "Recover1", garbage)).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
      assertThat(rawCall(raw, e, "Recover1", new byte[70_000]))
          .isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
      assertThat(rawCall(raw, e, "NoSuchMethod", new byte[0])).isEqualTo(GrpcStatus.UNIMPLEMENTED);
    } finally {
      raw.close();
    }
    try (VaultTransport t = new GrpcTransport(vertx, e.host(), e.port())) {
      assertStillServing(t);
    }
  }

  private static GrpcStatus rawCall(GrpcClient raw, LocalFleet.Edge e, String method, byte[] body)
      throws Exception {
    return raw.request(SocketAddress.inetSocketAddress(e.port(), e.host()))
        .compose(
            req -> {
              req.fullMethodName("fleetvault.v1.Vault/" + method);
              req.headers().set("authorization", "Bearer " + fleet.token("raw"));
              return req.send(Buffer.buffer(body))
                  .compose(
                      resp ->
                          resp.end()
                              .transform(
                                  ar -> io.vertx.core.Future.succeededFuture(resp.status())));
            })
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private static String code(WsResponse r) {
    assertThat(r.hasError()).as("an error answer").isTrue();
    return dev.fleetvault.protocol.wire.ErrorCodes.wireName(r.getError().getCode());
  }

  @Test
  void websocket_garbageOversizedUnknownFrames_errorFramesAndStillServing() throws Exception {
    LocalFleet.Edge e = fleet.fleet().edges().get(2);
    try (WsTransport ws = new WsTransport(vertx, e.host(), e.port())) {
      byte[] garbage = new byte[200];
      RANDOM.nextBytes(garbage);
      garbage[0] = (byte) 0xff;
      assertThat(code(ws.rawBinary(garbage))).isEqualTo("bad_request");
      assertThat(code(ws.rawBinary(new byte[70_000]))).isEqualTo("too_large");
      WsResponse v2 =
          ws.rawBinary(WsTransport.frame(2, 0, "Status", null, new byte[0]).toByteArray());
      assertThat(code(v2)).isEqualTo("unsupported_version");
      assertThat(v2.getFrameVersion()).isEqualTo(1);
      assertThat(v2.getMethod()).isEqualTo("Status");
      assertThat(
              code(ws.rawBinary(WsTransport.frame(1, 0, "Steal", null, new byte[0]).toByteArray())))
          .isEqualTo("unknown_method");
      assertThat(
              code(
                  ws.rawBinary(
                      WsTransport.frame(1, 0, "Recover0", fleet.token("x"), garbage)
                          .toByteArray())))
          .isEqualTo("bad_request");
      // a frame field version 1 does not define
      byte[] f =
          WsTransport.frame(
                  1,
                  0,
                  "Status",
                  null,
                  StatusRequest.newBuilder().setVersion(1).setSuite(1).build().toByteArray())
              .toBuilder()
              .setUnknownFields(
                  com.google.protobuf.UnknownFieldSet.newBuilder()
                      .addField(
                          9,
                          com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                              .addVarint(1)
                              .build())
                      .build())
              .build()
              .toByteArray();
      assertThat(code(ws.rawBinary(f))).isEqualTo("bad_request");
      // text frames are not part of the protocol (PROTOCOL.md 4.2): answered, connection kept
      WsResponse text = ws.rawText("{\"v\":1,\"id\":0,\"method\":\"Status\",\"body\":{}}");
      assertThat(code(text)).isEqualTo("bad_request");
      assertThat(text.getId()).isZero();
      assertStillServing(ws);
    }
  }

  // ---------------------------------------------------------------- misbehaving edge

  @Test
  void evilEdge_replaySwapAndSecondEvaluation_gainNothingBeyondCountedAttempts() throws Exception {
    String user = "target";
    ByteString uid = ByteString.copyFromUtf8(user);
    String token = fleet.token(user);
    try (VaultTransport t = open("grpc");
        EvilEdge evil = new EvilEdge(vertx, fleet)) {
      TestClient c = client(t);
      c.register(user, "2580", new byte[] {2, 5, 8}, 5);

      Recovery rec =
          Recovery.begin(
              fleet.realm(),
              TestClient.APP,
              user.getBytes(StandardCharsets.UTF_8),
              SecretBytes.copyOf("0000".getBytes(StandardCharsets.UTF_8)),
              RANDOM);
      Recover0Response r0 =
          (Recover0Response) evil.forward(VaultMethod.RECOVER0, rec.recover0Request(), token);
      Recover1Request q1 = ((RecoveryStep.Send<Recover1Request>) rec.afterRecover0(r0)).request();
      Recover1Response r1 = (Recover1Response) evil.forward(VaultMethod.RECOVER1, q1, token);
      assertThat(r1.getResultsList()).allSatisfy(r -> assertThat(r.hasAnswer()).isTrue());

      SealedRequest m1 = q1.getRequests(0);
      SealedRequest m2 = q1.getRequests(1);
      long evaluated = evaluations();
      // a second evaluation under the same attempt: replay member 1's phase-1 envelope; it gets
      // back the very answer it got the first time (nothing new is evaluated or counted)
      MemberResult again = evil.send(VaultMethod.RECOVER1, 1, uid, m1, token);
      assertThat(again.getAnswer()).isEqualTo(r1.getResults(0).getAnswer());
      assertThat(evaluations()).isEqualTo(evaluated);
      // swap: member 2's envelope to member 1, as addressed and relabelled
      assertThat(reason(evil.send(VaultMethod.RECOVER1, 1, uid, m2, token)))
          .isEqualTo("bad_request");
      assertThat(
              reason(
                  evil.send(
                      VaultMethod.RECOVER1, 1, uid, m2.toBuilder().setMember(1).build(), token)))
          .isEqualTo("bad_request");
      // a phase-1 envelope sent to the phase-2 rpc, and a tampered ciphertext
      assertThat(reason(evil.send(VaultMethod.RECOVER2, 1, uid, m1, token)))
          .isIn("bad_request", "replayed");
      byte[] ct = m2.getCiphertext().toByteArray();
      ct[ct.length - 1] ^= 1;
      assertThat(
              reason(
                  evil.send(
                      VaultMethod.RECOVER1,
                      2,
                      uid,
                      m2.toBuilder().setCiphertext(ByteString.copyFrom(ct)).build(),
                      token)))
          .isIn("bad_request", "replayed");

      RecoveryStep<Recover2Request> s2 = rec.afterRecover1(r1);
      Recover2Request q2 = ((RecoveryStep.Send<Recover2Request>) s2).request();
      Recover2Response r2 = (Recover2Response) evil.forward(VaultMethod.RECOVER2, q2, token);
      assertThat(rec.afterRecover2(r2)).isEqualTo(new RecoverResult.WrongPin(4));
      // a replayed phase 2 with the wrong tag is answered wrong tag again: nothing committed
      assertThat(reason(evil.send(VaultMethod.RECOVER2, 1, uid, q2.getRequests(0), token)))
          .isEqualTo("answered");
      assertThat(evaluations()).isEqualTo(evaluated);

      assertThat(c.recover(user, "1111"))
          .as("the evil round counted exactly one guess")
          .isEqualTo(new RecoverResult.WrongPin(3));
      assertThat(c.recover(user, "2580")).isInstanceOf(RecoverResult.Recovered.class);
    }
  }

  /** HSM calls of {@code op} made by the shared fleet's members so far. */
  private static long hsmCalls(String op) {
    long sum = 0;
    for (var m : fleet.config().members()) {
      var t =
          fleet
              .fleet()
              .node(m.id())
              .metrics()
              .registry()
              .find("fleetvault.hsm.calls")
              .tag("op", op)
              .timers();
      sum += t.stream().mapToLong(io.micrometer.core.instrument.Timer::count).sum();
    }
    return sum;
  }

  /** OPRF evaluations answered by the shared fleet's members so far. */
  private static long evaluations() {
    long sum = 0;
    for (var m : fleet.config().members()) {
      sum += fleet.fleet().node(m.id()).metrics().evaluations();
    }
    return sum;
  }

  private static String reason(MemberResult r) {
    return r.hasAnswer() ? "answered" : r.getUnavailable().getReason();
  }

  @Test
  void evilEdge_phase1WithoutMajority_refusedAndNothingCounted() throws Exception {
    // covered end to end in AvailabilityTest; here: a member refuses an attempt for a user it
    // does not hold without committing anything
    String user = "ghost";
    ByteString uid = ByteString.copyFromUtf8(user);
    try (EvilEdge evil = new EvilEdge(vertx, fleet)) {
      Recovery rec =
          Recovery.begin(
              fleet.realm(),
              TestClient.APP,
              user.getBytes(StandardCharsets.UTF_8),
              SecretBytes.copyOf(new byte[] {1}),
              RANDOM);
      Recover0Response r0 =
          (Recover0Response)
              evil.forward(VaultMethod.RECOVER0, rec.recover0Request(), fleet.token(user));
      assertThat(rec.afterRecover0(r0)).isInstanceOf(RecoveryStep.Done.class);
    }
    assertThatThrownBy(
            () -> {
              throw new EdgeError(new Reply<>(null, "x", "y", "z"));
            })
        .isInstanceOf(EdgeError.class);
  }
}
