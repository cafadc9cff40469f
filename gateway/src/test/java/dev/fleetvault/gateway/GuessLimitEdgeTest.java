package dev.fleetvault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.support.EdgeError;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.gateway.support.VaultTransport;
import dev.fleetvault.protocol.flow.RecoverResult;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guess limit through the real edge of a real fleet on 127.0.0.1 (PROTOCOL.md "Security
 * properties", no member compromised): however the client or the edge splits guesses over member
 * subsets or fires them at once, the fleet evaluates exactly L attempts per registration.
 * Evaluations are counted with the members' own node metrics ({@code
 * fleetvault.member.evaluations}).
 */
@Tag("process")
class GuessLimitEdgeTest {
  @TempDir static Path dir;
  static TestFleet fleet;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    // The storms below test counting, not speed: 200 concurrent recoveries on a 2-core machine may
    // take longer than the test fleets' usual 8 s deadline, so this fleet's deadline is 60 s and
    // an answer within it is required of every call.
    fleet = TestFleet.start(dir.resolve("n3"), 3, TestFleet.TEST_REGISTRATION, 60_000);
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

  /** Evaluations answered by every member of {@code f} so far. */
  static long evaluations(TestFleet f) {
    return f.evaluations();
  }

  /** Per member: evaluations answered so far. */
  static Map<String, Long> evaluationsByMember(TestFleet f) {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (var m : f.config().members()) {
      out.put(m.id(), f.fleet().node(m.id()).metrics().evaluations());
    }
    return out;
  }

  /** The t-subsets of 1..n that rotate: {1..t}, {2..t+1}, ... (cyclic). */
  static List<Set<Integer>> rotatingSubsets(int n) {
    int t = n / 2 + 1;
    List<Set<Integer>> out = new ArrayList<>();
    for (int start = 0; start < n; start++) {
      Set<Integer> s = new LinkedHashSet<>();
      for (int k = 0; k < t; k++) {
        s.add((start + k) % n + 1);
      }
      out.add(s);
    }
    return out;
  }

  /**
   * Shared by n = 3 and n = 5: L wrong PINs spread over rotating t-subsets are all the fleet
   * evaluates (per-member counting would have allowed ⌊n·L/t⌋); then NoGuesses, also for the right
   * PIN.
   */
  static void rotatingSubsets_exactlyL(TestFleet f, String user, int limit) throws Exception {
    int n = f.config().members().size();
    int t = n / 2 + 1;
    List<Set<Integer>> subsets = rotatingSubsets(n);
    try (VaultTransport tr = grpc(f, 0)) {
      TestClient c = new TestClient(tr, f.realm(), f::token);
      c.register(user, "7391", new byte[] {7, 3, 9, 1}, limit);
      long before = evaluations(f);
      Map<String, Long> perMemberBefore = evaluationsByMember(f);
      int wrong = 0;
      List<RecoverResult> results = new ArrayList<>();
      for (int i = 0; i < 3 * limit; i++) {
        RecoverResult r =
            c.recover(user, String.format("%04d", i), subsets.get(i % subsets.size()));
        results.add(r);
        if (r instanceof RecoverResult.WrongPin w) {
          wrong++;
          assertThat(w.guessesRemaining())
              .as("remaining after guess %d", wrong)
              .isEqualTo(limit - wrong);
        } else {
          assertThat(r)
              .as("attempt %d after %d wrong", i, wrong)
              .isInstanceOf(RecoverResult.NoGuesses.class);
        }
      }
      assertThat(wrong)
          .as("wrong PINs evaluated with rotating %d-of-%d subsets: %s", t, n, results)
          .isEqualTo(limit);
      assertThat(evaluations(f) - before)
          .as("evaluations: L attempts x t members")
          .isEqualTo((long) limit * t);
      Map<String, Long> after = evaluationsByMember(f);
      for (var e : after.entrySet()) {
        assertThat(e.getValue() - perMemberBefore.get(e.getKey()))
            .as("member %s", e.getKey())
            .isLessThanOrEqualTo(limit);
      }
      assertThat(c.recover(user, "7391"))
          .as("the right PIN after L wrong ones")
          .isInstanceOf(RecoverResult.NoGuesses.class);
      assertThat(c.recover(user, "7391", subsets.get(1)))
          .isInstanceOf(RecoverResult.NoGuesses.class);
      assertThat(evaluations(f) - before).isEqualTo((long) limit * t);
    }
  }

  /**
   * Property (a), subsets: n = 3, t = 2, L = 6 — wrong PINs sent to {1,2}, {2,3}, {3,1}, ...
   * through the edge get exactly 6 evaluated guesses (per-member counting gave 9), then NoGuesses;
   * the right PIN then fails.
   */
  @Test
  void recover_rotatingTwoOfThreeSubsetsManyWrongPins_exactlyLimitEvaluationsThenNoGuesses()
      throws Exception {
    rotatingSubsets_exactlyL(fleet, "rot3", 6);
  }

  /**
   * Property (a), subsets: n = 5, t = 3, L = 5 — rotating 3-of-5 subsets through the edge get
   * exactly 5 evaluated guesses (per-member counting gave ⌊5·5/3⌋ = 8), then NoGuesses; the right
   * PIN then fails.
   */
  @Test
  void recover_rotatingThreeOfFiveSubsetsManyWrongPins_exactlyLimitEvaluationsThenNoGuesses()
      throws Exception {
    try (TestFleet five = TestFleet.start(dir.resolve("n5"), 5, TestFleet.TEST_REGISTRATION)) {
      rotatingSubsets_exactlyL(five, "rot5", 5);
    }
  }

  /**
   * What 200 concurrent wrong-PIN recoveries against L = 5 did: per outcome, how many. An outcome
   * is "evaluated/&lt;result&gt;" when phase 1 came back with t valid evaluations (the client went
   * on to phase 2; the result may be NoGuesses when the members destroyed their records before
   * phase 2 arrived), else "phase0/&lt;result&gt;" or "phase1/&lt;result&gt;" (refused before any
   * evaluation reached the client).
   */
  record Storm(Map<String, AtomicInteger> outcomes, long evaluated, Map<String, Long> perMember) {
    /** Recoveries whose guess was evaluated (t answers in phase 1). */
    int evaluatedGuesses() {
      return outcomes.entrySet().stream()
          .filter(e -> e.getKey().startsWith("evaluated/"))
          .mapToInt(e -> e.getValue().get())
          .sum();
    }

    /** Recoveries refused before any evaluation. */
    int refusedBeforeEvaluation() {
      return outcomes.entrySet().stream()
          .filter(e -> e.getKey().startsWith("phase"))
          .mapToInt(e -> e.getValue().get())
          .sum();
    }
  }

  /** One recovery phase by phase; names where it ended (see {@link Storm}). */
  static String phases(VaultTransport t, String user, String pin) throws Exception {
    var rec =
        dev.fleetvault.protocol.flow.Recovery.begin(
            fleet.realm(),
            TestClient.APP,
            user.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            dev.fleetvault.protocol.secret.SecretBytes.copyOf(
                pin.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            new java.security.SecureRandom());
    TestClient c = new TestClient(t, fleet.realm(), fleet::token);
    String token = fleet.token(user);
    var s1 =
        rec.afterRecover0(
            c.call(
                "Recover0",
                rec.recover0Request(),
                token,
                dev.fleetvault.protocol.wire.Recover0Response.getDefaultInstance()));
    if (s1 instanceof dev.fleetvault.protocol.flow.RecoveryStep.Done<?> d) {
      return "phase0/" + d.result().getClass().getSimpleName();
    }
    var q1 =
        ((dev.fleetvault.protocol.flow.RecoveryStep.Send<
                    dev.fleetvault.protocol.wire.Recover1Request>)
                s1)
            .request();
    var s2 =
        rec.afterRecover1(
            c.call(
                "Recover1",
                q1,
                token,
                dev.fleetvault.protocol.wire.Recover1Response.getDefaultInstance()));
    if (s2 instanceof dev.fleetvault.protocol.flow.RecoveryStep.Done<?> d) {
      return "phase1/" + d.result().getClass().getSimpleName();
    }
    if (!(s2
        instanceof
        dev.fleetvault.protocol.flow.RecoveryStep.Send<dev.fleetvault.protocol.wire.Recover2Request>
            send)) {
      return "phase1/Restart";
    }
    RecoverResult r =
        rec.afterRecover2(
            c.call(
                "Recover2",
                send.request(),
                token,
                dev.fleetvault.protocol.wire.Recover2Response.getDefaultInstance()));
    return "evaluated/" + r.getClass().getSimpleName();
  }

  /** Registers {@code user} with L = {@code limit} and fires 200 concurrent wrong PINs. */
  static Storm storm(String user, int limit) throws Exception {
    int n = fleet.config().members().size();
    try (VaultTransport setup = grpc(fleet, 0)) {
      new TestClient(setup, fleet.realm(), fleet::token)
          .register(user, "2468", new byte[] {2}, limit);
    }
    long before = evaluations(fleet);
    Map<String, Long> perMemberBefore = evaluationsByMember(fleet);
    List<VaultTransport> edges = new ArrayList<>();
    for (int e = 0; e < n; e++) {
      edges.add(grpc(fleet, e));
    }
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(200);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int k = i;
        all.add(
            pool.submit(
                () -> {
                  String outcome;
                  try {
                    outcome = phases(edges.get(k % n), user, String.format("9%03d", k));
                  } catch (EdgeError e) {
                    outcome = "error:" + e.code;
                  } catch (Exception e) {
                    outcome = "exception:" + e.getClass().getSimpleName();
                  }
                  outcomes.computeIfAbsent(outcome, x -> new AtomicInteger()).incrementAndGet();
                  return null;
                }));
      }
      for (Future<?> f : all) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      edges.forEach(VaultTransport::close);
    }
    Map<String, Long> perMember = new java.util.TreeMap<>();
    evaluationsByMember(fleet).forEach((m, v) -> perMember.put(m, v - perMemberBefore.get(m)));
    Storm storm = new Storm(outcomes, evaluations(fleet) - before, perMember);
    System.out.println("storm " + user + ": " + storm);
    return storm;
  }

  /**
   * Property (a), concurrency (what the fleet-wide count guarantees): 200 concurrent wrong-PIN
   * recoveries against L = 5 — no member evaluates more than 5 times, at most 5 guesses evaluated,
   * every other recovery refused as NoGuesses before evaluation, and every member ends NO_GUESSES
   * (the right PIN fails at every t-subset).
   */
  @Test
  void recover_200ConcurrentWrongPinsLimit5_atMostFiveEvaluatedPerMemberAllMembersNoGuesses()
      throws Exception {
    String user = "storm";
    int limit = 5;
    int n = fleet.config().members().size();
    Storm s = storm(user, limit);
    assertThat(s.evaluatedGuesses()).as("%s", s).isLessThanOrEqualTo(limit);
    assertThat(s.evaluatedGuesses() + s.refusedBeforeEvaluation()).as("%s", s).isEqualTo(200);
    assertThat(s.outcomes().keySet())
        .as("%s", s)
        .allSatisfy(
            o ->
                assertThat(o)
                    .isIn(
                        "evaluated/WrongPin",
                        "evaluated/NoGuesses",
                        "phase0/NoGuesses",
                        "phase1/NoGuesses"));
    assertThat(s.evaluated())
        .as("%s", s)
        .isLessThanOrEqualTo((long) limit * n)
        .isGreaterThanOrEqualTo((long) s.evaluatedGuesses() * (n / 2 + 1));
    assertThat(s.perMember().values())
        .as("%s", s)
        .allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(limit));
    long after = evaluations(fleet);
    try (VaultTransport t = grpc(fleet, 1)) {
      TestClient c = new TestClient(t, fleet.realm(), fleet::token);
      assertThat(c.recover(user, "2468")).isInstanceOf(RecoverResult.NoGuesses.class);
      for (int m = 1; m <= n; m++) {
        assertThat(c.recover(user, "2468", Set.of(m, m % n + 1)))
            .isInstanceOf(RecoverResult.NoGuesses.class);
      }
    }
    assertThat(evaluations(fleet)).as("nothing evaluated after the limit").isEqualTo(after);
  }

  /**
   * Property (a), concurrency, no wasted guess: of 200 concurrent wrong-PIN recoveries against L =
   * 5 exactly 5 are evaluated (t valid evaluations reach the client) and the other 195 are refused
   * before any evaluation (a counted guess is never lost: a member's share is destroyed only once
   * it was granted every counted guess). Phase 2 of an evaluated guess may say NoGuesses instead of
   * WrongPin when the records were destroyed in between: only the last-guess attempt keeps its
   * record copy for phase 2.
   */
  @Test
  void recover_200ConcurrentWrongPinsLimit5_exactlyFiveWrongPinAnswers() throws Exception {
    Storm s = storm("storm-exact", 5);
    int n = fleet.config().members().size();
    assertThat(s.evaluatedGuesses()).as("%s", s).isEqualTo(5);
    assertThat(s.refusedBeforeEvaluation()).as("%s", s).isEqualTo(195);
    assertThat(s.evaluated()).as("%s", s).isBetween(5L * (n / 2 + 1), 5L * n);
  }
}
