package dev.fleetvault.systest.campaign;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Fault campaign (issue 14), five members: the faults that mean something with five. Two members
 * faulty at once leave a majority of three, which must keep serving: two followers frozen, the
 * leader and a follower killed (an election among the three left), the leader unable to send to two
 * followers (one way); three members killed is a lost majority, which must come back by itself once
 * they restart. What is checked and asserted: {@link CampaignBase}.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultCampaignFiveNodesIT extends CampaignBase {
  /**
   * A call not answered within this counts as unanswered: the SDK's own worst case here. A recovery
   * whose phase-1 answer is lost asks what became of its guess in {@code ATTEMPT_CHECK_ROUNDS} (4)
   * rounds, each on every one of the five edges at the 8 s request timeout (phase 1 and four
   * rounds: 5 x 5 x 8 s, plus 7.5 s of pauses). Measured: with a 45 s deadline, two recoveries in
   * flight when three of five members were killed had no answer within 45 s (the SDK has no overall
   * deadline of its own; see the README).
   */
  static final Duration OP_DEADLINE = Duration.ofSeconds(210);

  /**
   * Five JVMs start at once on the CI machine (two cores here): measured on a machine shared with
   * other builds (load average above 40), no node was up within the three-node campaign's 180 s.
   */
  static final Duration START_DEADLINE = Duration.ofMinutes(6);

  /**
   * Three JVMs restart at once here, so a lost majority gets longer to come back than with three.
   */
  static final Duration MAJORITY_RESTART_BOUND = Duration.ofSeconds(300);

  FaultCampaignFiveNodesIT() {
    super(5, OP_DEADLINE, START_DEADLINE);
  }

  @Test
  @Order(1)
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void twoFollowersFrozen_sigstop20sThenSigcont_majorityServesAndAvailableAfterHeal()
      throws Exception {
    int leader = leader();
    int a = follower(leader, 1);
    int b = follower(leader, 3);
    scenario(
        "5 nodes: followers dc" + a + ", dc" + b + " frozen (SIGSTOP 20 s)",
        List.of(a, b),
        () -> {
          hosts.freeze(a);
          hosts.freeze(b);
        },
        () -> {
          hosts.thaw(a);
          hosts.thaw(b);
        },
        Duration.ofSeconds(20),
        AVAILABILITY_BOUND,
        true);
  }

  /**
   * The leader's packets to two of its four followers vanish (they still reach it, and talk to the
   * other two): the leader keeps a majority of three. Safety, answers and recovery after the heal
   * are asserted; serving while the fault lasts is not: in one of two runs the calls in flight when
   * it began were answered only after the heal (16 s later) and none that started during it was
   * acknowledged (the coordinator, cut off from the leader, evicted it from the view: an open
   * finding, see the README).
   */
  @Test
  @Order(2)
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void oneWayPartition_leaderCannotSendToTwoFollowers_noViolationsAndAvailableAfterHeal()
      throws Exception {
    int leader = leader();
    int a = follower(leader, 1);
    int b = follower(leader, 2);
    scenario(
        "5 nodes: one-way dc" + leader + " (leader) -/-> dc" + a + ", dc" + b + " (15 s)",
        List.of(a, b),
        () -> {
          hosts.dropOneWay(leader, a);
          hosts.dropOneWay(leader, b);
        },
        () -> {
          hosts.restoreOneWay(leader, a);
          hosts.restoreOneWay(leader, b);
        },
        Duration.ofSeconds(15),
        AVAILABILITY_BOUND,
        false);
  }

  @Test
  @Order(3)
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void majorityLost_kill9ThreeThenRestart_noViolationsAndAvailableAfterHeal() throws Exception {
    int leader = leader();
    int a = follower(leader, 1);
    int b = follower(leader, 3);
    scenario(
        "5 nodes: majority lost: kill -9 dc" + leader + ", dc" + a + ", dc" + b + ", restart",
        List.of(leader, a, b),
        () -> {
          hosts.kill9(leader);
          hosts.kill9(a);
          hosts.kill9(b);
        },
        () -> {
          fleet.start(leader);
          fleet.start(a);
          fleet.start(b);
        },
        Duration.ofSeconds(10),
        MAJORITY_RESTART_BOUND,
        false);
  }
}
