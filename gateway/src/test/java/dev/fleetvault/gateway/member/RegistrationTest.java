package dev.fleetvault.gateway.member;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.fleetvault.gateway.edge.VaultMethod;
import dev.fleetvault.gateway.support.EvilEdge;
import dev.fleetvault.gateway.support.Reply;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.gateway.support.VaultTransport;
import dev.fleetvault.protocol.flow.LedgerKeys;
import dev.fleetvault.protocol.flow.RealmConfig;
import dev.fleetvault.protocol.flow.RecoverResult;
import dev.fleetvault.protocol.flow.Recovery;
import dev.fleetvault.protocol.flow.RecoveryStep;
import dev.fleetvault.protocol.flow.RegisterResult;
import dev.fleetvault.protocol.flow.parts.ClientRound;
import dev.fleetvault.protocol.flow.parts.RegistrationMath;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.pin.Argon2idParameters;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.Phase;
import dev.fleetvault.protocol.wire.Recover0Response;
import dev.fleetvault.protocol.wire.Recover1Request;
import dev.fleetvault.protocol.wire.Recover1Response;
import dev.fleetvault.protocol.wire.Register2Payload;
import dev.fleetvault.protocol.wire.Register2Request;
import dev.fleetvault.protocol.wire.Register2Response;
import dev.fleetvault.protocol.wire.SealedRequest;
import dev.fleetvault.quorum.RecordStore;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registrations against the members' own rules, through the real edge (PROTOCOL.md "Security
 * properties"): a registration racing a recovery never lets the old record be evaluated on the new
 * registration's counter; racing registrations never mix records; weak registrations (threshold 1,
 * test PIN parameters on a production fleet, versions beyond 2^53 − 1) are refused by every member
 * with a clear error and store nothing; no superseded sealed record is left in the store.
 */
@Tag("process")
class RegistrationTest {
  static final SecureRandom RANDOM = new SecureRandom();
  @TempDir static Path dir;
  static TestFleet fleet;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    fleet = TestFleet.start(dir.resolve("test-policy"), 3, TestFleet.TEST_REGISTRATION);
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

  static VaultTransport grpc(TestFleet f, int edge) {
    return f.grpc(vertx, edge);
  }

  static long evaluations(TestFleet f) {
    return f.evaluations();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Member {@code index}'s sealed record of {@code user} at {@code version}, if stored. */
  static boolean stored(TestFleet f, String user, long version, int index) throws Exception {
    RecordStore store =
        ReplayTest.service(f.fleet().node(f.config().members().get(index - 1).id())).recordStore();
    return store
        .get(LedgerKeys.of(TestClient.APP, utf8(user)), version, index)
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS)
        .isPresent();
  }

  /** A register2 round the test seals itself, with any version, threshold and PIN set. */
  record Crafted(Register2Request request, ClientRound round) {}

  static Crafted craft(
      TestFleet f, String user, long version, int threshold, String pinParams, int guessLimit)
      throws Exception {
    RealmConfig realm = f.realm();
    int n = realm.size();
    byte[] salt = new byte[32];
    RANDOM.nextBytes(salt);
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    List<Scalar> k = new ArrayList<>();
    List<Scalar> d = new ArrayList<>();
    for (int j = 0; j < threshold; j++) {
      k.add(Scalar.random(RANDOM));
      d.add(Scalar.random(RANDOM));
    }
    RegistrationMath.Inputs in =
        new RegistrationMath.Inputs(
            utf8(user),
            realm.fleetId(),
            Argon2idParameters.forId(pinParams),
            version,
            guessLimit,
            n,
            threshold,
            salt,
            k,
            d,
            nonce);
    Map<Integer, Register2Payload> payloads =
        RegistrationMath.payloads(
            SecretBytes.copyOf(utf8("1234")), SecretBytes.copyOf(new byte[] {1, 2}), in);
    ClientRound round =
        ClientRound.seal(
            realm, Phase.PHASE_REGISTER2, TestClient.APP, utf8(user), payloads, RANDOM);
    return new Crafted(
        Register2Request.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setUserId(ByteString.copyFrom(utf8(user)))
            .addAllRequests(round.requests())
            .build(),
        round);
  }

  /** Every member's own refusal of {@code c} (sent member by member, as an edge would). */
  static List<String> refusals(TestFleet f, String user, Crafted c) throws Exception {
    List<String> out = new ArrayList<>();
    try (EvilEdge edge = new EvilEdge(vertx, f)) {
      for (SealedRequest s : c.request().getRequestsList()) {
        out.add(
            edge.refusal(
                VaultMethod.REGISTER2,
                s.getMember(),
                ByteString.copyFrom(utf8(user)),
                s,
                f.token(user)));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- policy

  /**
   * Registration policy: threshold 1 (every member would hold the whole OPRF key) is refused by
   * every member with BAD_REQUEST naming the threshold rule, through the edge too, and nothing is
   * stored or counted.
   */
  @Test
  void register2_thresholdOne_everyMemberRefusesBadRequestAndStoresNothing() throws Exception {
    String user = "t-one";
    Crafted c = craft(fleet, user, 1, 1, TestFleet.TEST_PIN_PARAMS, 5);
    assertThat(refusals(fleet, user, c))
        .hasSize(3)
        .allSatisfy(
            r ->
                assertThat(r)
                    .startsWith("bad_request: ")
                    .contains("registration policy")
                    .contains("threshold"));
    try (VaultTransport t = grpc(fleet, 0)) {
      Reply<Register2Response> r =
          t.call(
              "Register2",
              craft(fleet, user, 1, 1, TestFleet.TEST_PIN_PARAMS, 5).request(),
              fleet.token(user),
              Register2Response.getDefaultInstance());
      assertThat(r.code()).isEqualTo("bad_request");
      for (int i = 1; i <= 3; i++) {
        assertThat(stored(fleet, user, 1, i)).as("member %d stored nothing", i).isFalse();
      }
      assertThat(new TestClient(t, fleet.realm(), fleet::token).recover(user, "1234"))
          .isInstanceOf(RecoverResult.NotRegistered.class);
    }
  }

  /**
   * Registration policy: record versions beyond MAX_RECORD_VERSION (2^53 − 1), 2^63 − 1 included,
   * are refused by every member and store nothing; the user registers normally afterwards (a huge
   * version never blocks later registrations).
   */
  @Test
  void register2_version2pow63Minus1_refusedAndLaterRegistrationSucceeds() throws Exception {
    String user = "huge-version";
    for (long v : new long[] {Long.MAX_VALUE, 1L << 53}) {
      Crafted c = craft(fleet, user, v, 2, TestFleet.TEST_PIN_PARAMS, 5);
      assertThat(refusals(fleet, user, c))
          .as("version %d", v)
          .allSatisfy(r -> assertThat(r).startsWith("bad_request: "));
      for (int i = 1; i <= 3; i++) {
        assertThat(stored(fleet, user, v, i)).isFalse();
      }
    }
    try (VaultTransport t = grpc(fleet, 1)) {
      TestClient client = new TestClient(t, fleet.realm(), fleet::token);
      assertThat(client.register(user, "5050", new byte[] {5}, 5))
          .isInstanceOf(RegisterResult.Registered.class);
      assertThat(client.recover(user, "5050")).isInstanceOf(RecoverResult.Recovered.class);
    }
  }

  /**
   * Registration policy on a production fleet (no registration section: production defaults): the
   * insecure test PIN parameters are refused by every member with BAD_REQUEST naming the PIN
   * parameters, through the edge too, and nothing is stored.
   */
  @Test
  void register2_testPinParamsOnProductionFleet_refusedBadRequestAndStoresNothing()
      throws Exception {
    try (TestFleet prod = TestFleet.start(dir.resolve("production"), 3, "")) {
      String user = "weak-pin";
      Crafted c = craft(prod, user, 1, 2, TestFleet.TEST_PIN_PARAMS, 5);
      assertThat(refusals(prod, user, c))
          .hasSize(3)
          .allSatisfy(r -> assertThat(r).startsWith("bad_request: ").contains("PIN parameters"));
      try (VaultTransport t = grpc(prod, 0)) {
        TestClient client = new TestClient(t, prod.realm(), prod::token);
        assertThat(
                org.assertj.core.api.Assertions.catchThrowable(
                    () -> client.register(user, "1234", new byte[] {1}, 5)))
            .isInstanceOfSatisfying(
                dev.fleetvault.gateway.support.EdgeError.class,
                e -> assertThat(e.code).isEqualTo("bad_request"));
        for (int i = 1; i <= 3; i++) {
          assertThat(stored(prod, user, 1, i)).isFalse();
        }
      }
    }
  }

  // ---------------------------------------------------------------- races

  /**
   * Registration racing recovery: phase 1 prepared against version 1 reaches the members after
   * version 2 committed — the members answer version mismatch, the old record is not evaluated, and
   * version 2's counter is untouched. Then 20 old-version phase-1 requests fired while a third
   * registration lands: version 3's counter is still whole afterwards.
   */
  @Test
  void recover1_newRegistrationLandsBetweenPhase0AndAttempt_oldRecordNeverEvaluatedOnNewCounter()
      throws Exception {
    String user = "race-recover";
    try (VaultTransport t = grpc(fleet, 0)) {
      TestClient c = new TestClient(t, fleet.realm(), fleet::token);
      c.register(user, "1111", new byte[] {1}, 5);
      Recover1Request stale = phase1(t, user, "1111");
      c.register(user, "2222", new byte[] {2}, 3);
      long before = evaluations(fleet);
      Reply<Recover1Response> r =
          t.call("Recover1", stale, fleet.token(user), Recover1Response.getDefaultInstance());
      assertThat(evaluations(fleet) - before).as("old record evaluated").isZero();
      assertThat(r.ok() || "failed_precondition".equals(r.code())).as("%s", r).isTrue();
      assertThat(c.recover(user, "0000"))
          .as("version 2's counter is whole")
          .isEqualTo(new RecoverResult.WrongPin(2));

      List<Recover1Request> olds = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        olds.add(phase1(t, user, String.format("8%03d", i)));
      }
      ExecutorService pool = Executors.newFixedThreadPool(21);
      try (VaultTransport t2 = grpc(fleet, 1)) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    new TestClient(t2, fleet.realm(), fleet::token)
                        .register(user, "3333", new byte[] {3}, 4);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                pool));
        for (Recover1Request q : olds) {
          all.add(
              CompletableFuture.runAsync(
                  () -> {
                    try {
                      t.call(
                          "Recover1", q, fleet.token(user), Recover1Response.getDefaultInstance());
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  },
                  pool));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(3, TimeUnit.MINUTES);
      } finally {
        pool.shutdownNow();
      }
      assertThat(c.recover(user, "0000"))
          .as("version 3's counter counted none of the old attempts")
          .isEqualTo(new RecoverResult.WrongPin(3));
      assertThat(c.recover(user, "3333")).isInstanceOf(RecoverResult.Recovered.class);
    }
  }

  /** Phase 0 then the phase-1 request (not sent) of a recovery with {@code pin}. */
  static Recover1Request phase1(VaultTransport t, String user, String pin) throws Exception {
    Recovery rec =
        Recovery.begin(
            fleet.realm(), TestClient.APP, utf8(user), SecretBytes.copyOf(utf8(pin)), RANDOM);
    Recover0Response r0 =
        t.call(
                "Recover0",
                rec.recover0Request(),
                fleet.token(user),
                Recover0Response.getDefaultInstance())
            .orThrow();
    return ((RecoveryStep.Send<Recover1Request>) rec.afterRecover0(r0)).request();
  }

  /**
   * Two registrations racing (10 rounds, through two edges): afterwards at most one of the two PINs
   * recovers, a recovered secret is always the one registered with that PIN, and a next
   * registration succeeds; every member keeps only its current version's sealed record.
   */
  @Test
  void register_twoRacing_neverMixedAndNoSupersededRecordLeft() throws Exception {
    String user = "race-register";
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (VaultTransport a = grpc(fleet, 0);
        VaultTransport b = grpc(fleet, 2)) {
      TestClient ca = new TestClient(a, fleet.realm(), fleet::token);
      TestClient cb = new TestClient(b, fleet.realm(), fleet::token);
      for (int round = 0; round < 10; round++) {
        var fa =
            CompletableFuture.supplyAsync(() -> register(ca, user, "1010", new byte[] {10}), pool);
        var fb =
            CompletableFuture.supplyAsync(() -> register(cb, user, "2020", new byte[] {20}), pool);
        CompletableFuture.allOf(fa, fb).get(2, TimeUnit.MINUTES);
        RecoverResult ra = ca.recover(user, "1010");
        RecoverResult rb = cb.recover(user, "2020");
        boolean aOk = ra instanceof RecoverResult.Recovered;
        boolean bOk = rb instanceof RecoverResult.Recovered;
        assertThat(aOk && bOk).as("round %d: both PINs recover (%s, %s)", round, ra, rb).isFalse();
        if (aOk) {
          assertThat(((RecoverResult.Recovered) ra).secret().copy()).containsExactly(10);
        }
        if (bOk) {
          assertThat(((RecoverResult.Recovered) rb).secret().copy()).containsExactly(20);
        }
      }
      assertThat(ca.register(user, "3030", new byte[] {30}, 5))
          .isInstanceOf(RegisterResult.Registered.class);
      RecoverResult last = ca.recover(user, "3030");
      assertThat(last).isInstanceOf(RecoverResult.Recovered.class);
      long current = currentVersion(a, user);
      for (int i = 1; i <= 3; i++) {
        assertThat(stored(fleet, user, current, i)).as("member %d current record", i).isTrue();
        for (long v = 1; v < current; v++) {
          assertThat(stored(fleet, user, v, i))
              .as("member %d superseded version %d", i, v)
              .isFalse();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * No superseded record: after three successive registrations every member holds exactly the
   * newest version's sealed record.
   */
  @Test
  void register_threeSuccessiveVersions_onlyNewestSealedRecordStored() throws Exception {
    String user = "supersede";
    try (VaultTransport t = grpc(fleet, 1)) {
      TestClient c = new TestClient(t, fleet.realm(), fleet::token);
      for (int i = 0; i < 3; i++) {
        assertThat(c.register(user, "40" + i + "0", new byte[] {(byte) i}, 5))
            .isInstanceOf(RegisterResult.Registered.class);
      }
      long current = currentVersion(t, user);
      assertThat(current).isEqualTo(3);
      for (int i = 1; i <= 3; i++) {
        assertThat(stored(fleet, user, 3, i)).isTrue();
        assertThat(stored(fleet, user, 1, i)).isFalse();
        assertThat(stored(fleet, user, 2, i)).isFalse();
      }
      assertThat(c.recover(user, "4020")).isInstanceOf(RecoverResult.Recovered.class);
    }
  }

  static RegisterResult register(TestClient c, String user, String pin, byte[] secret) {
    try {
      return c.register(user, pin, secret, 5);
    } catch (Exception e) {
      return null;
    }
  }

  /** The version a majority reports in phase 0, found by registering nothing: from the stores. */
  static long currentVersion(VaultTransport t, String user) throws Exception {
    long v = 0;
    for (long probe = 1; probe <= 64; probe++) {
      for (int i = 1; i <= 3; i++) {
        if (stored(fleet, user, probe, i)) {
          v = Math.max(v, probe);
        }
      }
    }
    return v;
  }
}
