package dev.fleetvault.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A 3-node cluster in one JVM: commits with all up, with a minority down, and NoMajority with a
 * majority down.
 */
@Tag("process")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class ThreeNodeClusterTest extends QuorumTestBase {
  private static Cluster cluster;

  @BeforeAll
  static void up() throws Exception {
    cluster = new Cluster(3, workDir("three"), Duration.ofSeconds(3)).startAll();
    cluster.awaitReady();
  }

  @AfterAll
  static void down() {
    if (cluster != null) cluster.close();
  }

  @Test
  @Order(1)
  void memberCommands_allUp_commitOnEveryReplica() {
    for (int id = 1; id <= 3; id++) {
      MemberLedger m = cluster.memberLedger(id);
      byte[] sealed = random(100);
      join(cluster.node(id).records().put("alice", 1, id, sealed));
      LedgerResult<RowView> reg = join(m.register("alice", 1, sha256(sealed), 5));
      assertThat(reg).isInstanceOf(LedgerResult.Committed.class);
      assertThat(reg.value().state()).isEqualTo(RowState.REGISTERED);
      LedgerResult<AttemptOutcome> a = attemptNow(m, "alice", random(32));
      assertThat(a.value()).isInstanceOf(AttemptOutcome.Allowed.class);
      assertThat(remaining(a)).as("counted for the whole fleet").isEqualTo(5 - id);
    }
    cluster.awaitConverged();
    for (int id = 1; id <= 3; id++)
      for (int owner = 1; owner <= 3; owner++)
        assertThat(
                cluster
                    .node(id)
                    .raftLedger()
                    .stateMachine()
                    .localRow("alice", owner)
                    .fleetAttempts())
            .isEqualTo(3);
    // every node reads every record
    for (int id = 1; id <= 3; id++)
      assertThat(join(cluster.node(id).records().get("alice", 1, 2))).isPresent();
  }

  @Test
  @Order(2)
  void succeed_countedAttemptByMajority_resetsCounter() {
    MemberLedger m = cluster.memberLedger(2);
    byte[] aid = random(32);
    assertThat(attemptNow(m, "alice", aid).isCommitted()).isTrue();
    RowView row = join(m.readRow("alice")).value();
    assertThat(row.fleetAttempts()).isEqualTo(4);
    LedgerResult<SucceedOutcome> old =
        join(m.succeed("alice", row.version(), row.recordDigest(), row.generation(), random(32)));
    assertThat(old).isInstanceOf(LedgerResult.Rejected.class);
    assertThat(((LedgerResult.Rejected<SucceedOutcome>) old).reason())
        .isEqualTo(RejectReason.NOT_COUNTED);
    LedgerResult<SucceedOutcome> one =
        join(m.succeed("alice", row.version(), row.recordDigest(), row.generation(), aid));
    assertThat(one.value().counterReset()).as("one member's word resets nothing").isFalse();
    assertThat(one.value().row().fleetAttempts()).isEqualTo(4);
    MemberLedger m1 = cluster.memberLedger(1);
    RowView row1 = join(m1.readRow("alice")).value();
    LedgerResult<SucceedOutcome> two =
        join(m1.succeed("alice", row1.version(), row1.recordDigest(), row1.generation(), aid));
    assertThat(two.value().counterReset()).as("t = 2 of 3 members").isTrue();
    assertThat(two.value().row().generation()).isEqualTo(row.generation() + 1);
    assertThat(join(m.readRow("alice")).value().guessesRemaining()).isEqualTo(5);
  }

  @Test
  @Order(3)
  void submit_forgedReplayedOrTampered_changesNothing() {
    MemberLedger m1 = cluster.memberLedger(1);
    byte[] sealed = random(64);
    assertThat(join(m1.register("hank", 1, sha256(sealed), 3)).isCommitted()).isTrue();
    cluster.awaitConverged();
    RowView before = join(m1.readRow("hank")).value();
    java.util.List<String> digestsBefore = cluster.awaitConverged();

    // node 2 proposes a command for member 1's row, signed with its own (member 2's) key
    LedgerCommand reset =
        LedgerCommand.register(
            1L, 1, "hank", before.sequence() + 1, random(16), 2, random(32), 1000);
    LedgerResult<CommandOutcome> forged =
        join(
            cluster
                .node(2)
                .ledger()
                .submit(
                    SignedCommand.of(
                        reset, signNow(cluster.keys.get(1).getPrivate(), reset.canonicalBytes()))));
    assertThat(((LedgerResult.Rejected<CommandOutcome>) forged).reason())
        .isEqualTo(RejectReason.BAD_SIGNATURE);

    // a valid signature over other bytes (tampered after signing)
    LedgerCommand other =
        LedgerCommand.attempt(
            1L,
            1,
            "hank",
            before.sequence() + 1,
            random(16),
            1,
            before.recordDigest(),
            1,
            random(32));
    byte[] sigOverOther = signNow(cluster.keys.get(0).getPrivate(), other.canonicalBytes());
    LedgerResult<CommandOutcome> tampered =
        join(cluster.node(3).ledger().submit(SignedCommand.of(reset, sigOverOther)));
    assertThat(((LedgerResult.Rejected<CommandOutcome>) tampered).reason())
        .isEqualTo(RejectReason.BAD_SIGNATURE);

    // a genuine command replayed: answered again, counted once; an old one with a stale sequence:
    // refused
    LedgerCommand attempt =
        LedgerCommand.attempt(
            1L,
            1,
            "hank",
            before.sequence() + 1,
            random(16),
            1,
            before.recordDigest(),
            1,
            random(32));
    SignedCommand signed =
        SignedCommand.of(
            attempt, signNow(cluster.keys.get(0).getPrivate(), attempt.canonicalBytes()));
    LedgerResult<CommandOutcome> first = join(cluster.node(3).ledger().submit(signed));
    LedgerResult<CommandOutcome> replay = join(cluster.node(2).ledger().submit(signed));
    assertThat(replay).isEqualTo(first);
    assertThat(join(m1.readRow("hank")).value().fleetAttempts()).isEqualTo(1);
    LedgerCommand stale =
        LedgerCommand.attempt(
            1L, 1, "hank", before.sequence(), random(16), 1, before.recordDigest(), 1, random(32));
    LedgerResult<CommandOutcome> staleResult =
        join(
            cluster
                .node(2)
                .ledger()
                .submit(
                    SignedCommand.of(
                        stale, signNow(cluster.keys.get(0).getPrivate(), stale.canonicalBytes()))));
    assertThat(((LedgerResult.Rejected<CommandOutcome>) staleResult).reason())
        .isEqualTo(RejectReason.STALE_SEQUENCE);

    RowView after = join(m1.readRow("hank")).value();
    assertThat(after.fleetAttempts()).isEqualTo(1);
    assertThat(after.guessLimit()).isEqualTo(3);
    assertThat(after.version()).isEqualTo(1);
    assertThat(cluster.awaitConverged())
        .hasSize(3)
        .doesNotContainAnyElementsOf(digestsBefore.subList(0, 1));
  }

  @Test
  @Order(4)
  void sweepRecords_limitReachedWithoutClientDelete_recordRemoved() {
    byte[] sealed = random(80);
    join(cluster.node(1).records().put("ivan", 1, 1, sealed));
    assertThat(join(cluster.memberLedger(1).register("ivan", 1, sha256(sealed), 1)).isCommitted())
        .isTrue();
    // the attempt that uses the last guess, committed as raw command: as if the member crashed
    // before deleting
    long seq = join(cluster.memberLedger(1).readRow("ivan")).value().sequence();
    LedgerCommand last =
        LedgerCommand.attempt(1L, 1, "ivan", seq + 1, random(16), 1, sha256(sealed), 1, random(32));
    LedgerResult<CommandOutcome> r =
        join(
            cluster
                .node(2)
                .ledger()
                .submit(
                    SignedCommand.of(
                        last, signNow(cluster.keys.get(0).getPrivate(), last.canonicalBytes()))));
    assertThat(r.value().destroyed()).isTrue();
    assertThat(join(cluster.node(3).records().get("ivan", 1, 1))).isPresent();
    cluster.awaitConverged();
    assertThat(cluster.node(1).sweepRecords()).isEqualTo(1);
    for (int id = 1; id <= 3; id++)
      assertThat(join(cluster.node(id).records().get("ivan", 1, 1))).isEmpty();
  }

  @Test
  @Order(5)
  void attempt_minorityDown_stillCommits() {
    int victim = cluster.node(1).leader().orElseThrow(); // stop the leader itself
    cluster.stop(victim);
    int live = victim == 1 ? 2 : 1;
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.node(live).majorityReachable());
    LedgerResult<AttemptOutcome> a =
        attemptNow(cluster.memberLedger(live), "bob-not-registered", random(32));
    assertThat(a.value()).isEqualTo(new AttemptOutcome.Refused(RowState.NOT_REGISTERED));
    LedgerResult<RowView> reg =
        join(cluster.memberLedger(live).register("carol", 1, random(32), 3));
    assertThat(reg.isCommitted()).isTrue();
    cluster.start(victim);
    cluster.awaitReady();
    cluster.awaitConverged();
    assertThat(cluster.node(victim).raftLedger().stateMachine().localRow("carol", live).state())
        .isEqualTo(RowState.REGISTERED);
  }

  @Test
  @Order(6)
  void attempt_majorityDown_noMajorityAndNoEffect() {
    MemberLedger m3 = cluster.memberLedger(3);
    RowView before = join(m3.readRow("alice")).value();
    byte[] digestBefore = cluster.node(3).raftLedger().stateMachine().stateDigest();
    cluster.stop(1);
    cluster.stop(2);
    await().atMost(Duration.ofSeconds(60)).until(() -> !cluster.node(3).majorityReachable());
    LedgerResult<AttemptOutcome> a =
        join(
            m3.attempt(
                "alice", before.version(), before.recordDigest(), before.generation(), random(32)));
    assertThat(a).isInstanceOf(LedgerResult.NoMajority.class);
    assertThat(join(m3.readRow("alice"))).isInstanceOf(LedgerResult.NoMajority.class);
    assertThatThrownBy(() -> join(cluster.node(3).records().get("alice", 1, 3)))
        .hasRootCauseInstanceOf(QuorumUnavailableException.class);
    assertThat(cluster.node(3).raftLedger().stateMachine().stateDigest()).isEqualTo(digestBefore);
    // majority back: nothing of the refused attempt appears
    cluster.start(1, 2);
    cluster.awaitReady();
    cluster.awaitConverged();
    RowView after = join(m3.readRow("alice")).value();
    assertThat(after.fleetAttempts()).isEqualTo(before.fleetAttempts());
    assertThat(after.sequence()).isEqualTo(before.sequence());
    Optional<byte[]> rec = join(cluster.node(3).records().get("alice", 1, 3));
    assertThat(rec).isPresent();
  }

  @SuppressWarnings("unused")
  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
