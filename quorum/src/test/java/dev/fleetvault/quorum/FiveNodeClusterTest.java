package dev.fleetvault.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Five nodes in one JVM: two down still commits, three down gives NoMajority with no effect. */
@Tag("process")
@Timeout(240)
class FiveNodeClusterTest extends QuorumTestBase {

  /**
   * One more than the number of live members before {@code id} (ids below it that are not down):
   * the fleet-wide count grows per member.
   */
  private static int countBefore(int id, int down1, int down2) {
    int skipped = 0;
    for (int i = 1; i < id; i++) if (i == down1 || i == down2) skipped++;
    return skipped;
  }

  @Test
  void attempts_twoDownThenThreeDown_commitThenNoMajority() throws Exception {
    try (Cluster c = new Cluster(5, workDir("five"), Duration.ofSeconds(3)).startAll()) {
      c.awaitReady();
      for (int id = 1; id <= 5; id++)
        assertThat(join(c.memberLedger(id).register("dora", 1, random(32), 4)).isCommitted())
            .isTrue();

      int leader = c.node(1).leader().orElseThrow();
      int other = leader == 5 ? 4 : 5;
      c.stop(leader);
      c.stop(other);
      int live = 1;
      while (live == leader || live == other) live++;
      int liveId = live;
      await().atMost(Duration.ofSeconds(60)).until(() -> c.node(liveId).majorityReachable());
      for (int id = 1; id <= 5; id++) {
        if (id == leader || id == other) continue;
        LedgerResult<AttemptOutcome> a = attemptNow(c.memberLedger(id), "dora", random(32));
        assertThat(a.value()).isInstanceOf(AttemptOutcome.Allowed.class);
        assertThat(remaining(a)).isEqualTo(4 - id + countBefore(id, leader, other));
      }

      int third = 1;
      while (third == leader || third == other || third == liveId) third++;
      c.stop(third);
      int[] left =
          java.util.stream.IntStream.rangeClosed(1, 5)
              .filter(i -> i != leader && i != other && i != liveId && i != 0)
              .filter(i -> c.node(i) != null)
              .toArray();
      int[] survivors =
          java.util.stream.IntStream.concat(
                  java.util.stream.IntStream.of(liveId), java.util.Arrays.stream(left))
              .toArray();
      for (int s : survivors)
        await().atMost(Duration.ofSeconds(60)).until(() -> !c.node(s).majorityReachable());
      byte[] digest = c.node(survivors[0]).raftLedger().stateMachine().stateDigest();
      for (int s : survivors) {
        LedgerResult<AttemptOutcome> a = attemptNow(c.memberLedger(s), "dora", random(32));
        assertThat(a).isInstanceOf(LedgerResult.NoMajority.class);
      }
      assertThat(c.node(survivors[0]).raftLedger().stateMachine().stateDigest()).isEqualTo(digest);

      c.start(leader, other, third);
      c.awaitReady();
      c.awaitConverged();
      for (int s : survivors)
        assertThat(join(c.memberLedger(s).readRow("dora")).value().fleetAttempts()).isEqualTo(3);
    }
  }
}
