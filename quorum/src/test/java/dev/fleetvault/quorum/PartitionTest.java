package dev.fleetvault.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A node cut off by DISCARD refuses every attempt; after the merge all ledgers are identical. */
@Tag("process")
@Timeout(240)
class PartitionTest extends QuorumTestBase {

  @Test
  void attempt_minorityPartition_refusedThenLedgersIdenticalAfterMerge() throws Exception {
    try (Cluster c = new Cluster(3, workDir("partition"), Duration.ofSeconds(2)).startAll()) {
      c.awaitReady();
      for (int id = 1; id <= 3; id++)
        assertThat(join(c.memberLedger(id).register("erin", 1, random(32), 50)).isCommitted())
            .isTrue();
      int victim = c.node(1).leader().orElseThrow(); // cut off the leader itself
      int a = victim == 1 ? 2 : 1;
      int b = 6 - victim - a;
      System.out.println("-- isolating leader m" + victim);
      isolate(c.node(victim));
      await().atMost(Duration.ofSeconds(60)).until(() -> !c.node(victim).majorityReachable());
      System.out.println("-- waiting for leader in majority partition");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> c.node(a).majorityReachable() && c.node(b).majorityReachable());

      MemberLedger minority = c.memberLedger(victim);
      for (int i = 0; i < 5; i++) {
        LedgerResult<AttemptOutcome> r = attemptNow(minority, "erin", random(32));
        assertThat(r).isInstanceOf(LedgerResult.NoMajority.class);
      }
      assertThatThrownBy(() -> join(c.node(victim).records().put("erin", 1, victim, random(10))))
          .hasRootCauseInstanceOf(QuorumUnavailableException.class);
      for (int i = 0; i < 5; i++) {
        assertThat(attemptNow(c.memberLedger(a), "erin", random(32)).isCommitted()).isTrue();
        assertThat(attemptNow(c.memberLedger(b), "erin", random(32)).isCommitted()).isTrue();
      }

      System.out.println("-- healing the partition");
      heal(c.node(victim));
      c.awaitReady();
      List<String> digests = c.awaitConverged();
      assertThat(digests).hasSize(3);
      assertThat(join(c.memberLedger(victim).readRow("erin")).value().fleetAttempts())
          .as("fleet-wide count")
          .isEqualTo(10);
      assertThat(join(c.memberLedger(a).readRow("erin")).value().fleetAttempts()).isEqualTo(10);
      // the healed node commits again
      assertThat(attemptNow(c.memberLedger(victim), "erin", random(32)).isCommitted()).isTrue();
    }
  }
}
