package dev.fleetvault.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reads by read index (not through the log): served on leader and followers with the latest count;
 * a leader cut off from the others never answers a read, neither while it still believes it leads
 * nor after the majority moved on and changed the count (it would have answered the old count).
 */
@Tag("process")
@Timeout(240)
class ReadIndexTest extends QuorumTestBase {

  @Test
  void readRow_leaderCutOffFromMajority_refusedNeverTheOldCount() throws Exception {
    try (Cluster c = new Cluster(3, workDir("readindex"), Duration.ofSeconds(2)).startAll()) {
      c.awaitReady();
      for (int id = 1; id <= 3; id++)
        assertThat(join(c.memberLedger(id).register("fay", 1, random(32), 50)).isCommitted())
            .isTrue();
      assertThat(attemptNow(c.memberLedger(1), "fay", random(32)).isCommitted()).isTrue();
      for (int id = 1; id <= 3; id++)
        assertThat(join(c.memberLedger(id).readRow("fay")).value().fleetAttempts())
            .as("m" + id + " before the cut")
            .isEqualTo(1);

      int victim = c.node(1).leader().orElseThrow();
      int a = victim == 1 ? 2 : 1;
      int b = 6 - victim - a;
      isolate(c.node(victim));
      boolean believedLeader = c.node(victim).raftLedger().servingAsLeader();
      LedgerResult<RowView> early = join(c.memberLedger(victim).readRow("fay"));
      System.out.println(
          "-- read on the cut-off leader m"
              + victim
              + " (still believed it leads: "
              + believedLeader
              + "): "
              + early);
      assertThat(early).isNotInstanceOf(LedgerResult.Committed.class);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> c.node(a).majorityReachable() && c.node(b).majorityReachable());
      // the majority side counts more guesses (a try that times out while its new leader settles
      // may
      // still have counted: the count is read back from the majority, not predicted)
      for (int i = 0; i < 3; i++)
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> attemptNow(c.memberLedger(a), "fay", random(32)).isCommitted());
      int count = join(c.memberLedger(a).readRow("fay")).value().fleetAttempts();
      assertThat(count).isGreaterThanOrEqualTo(4);
      assertThat(join(c.memberLedger(b).readRow("fay")).value().fleetAttempts()).isEqualTo(count);
      LedgerResult<RowView> late = join(c.memberLedger(victim).readRow("fay"));
      System.out.println(
          "-- read on the deposed leader m"
              + victim
              + " after the majority counted "
              + count
              + ": "
              + late);
      assertThat(late)
          .as("a deposed leader must not answer the old count (1)")
          .isNotInstanceOf(LedgerResult.Committed.class);

      heal(c.node(victim));
      c.awaitReady();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  join(c.memberLedger(victim).readRow("fay"))
                      instanceof LedgerResult.Committed<RowView>);
      assertThat(join(c.memberLedger(victim).readRow("fay")).value().fleetAttempts())
          .as("healed member reads the new count")
          .isEqualTo(count);
    }
  }
}
