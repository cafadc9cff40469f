package dev.fleetvault.systest.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.client.Edge;
import dev.fleetvault.client.FleetStatus;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.driver.tck.TestEnvironment;
import dev.fleetvault.systest.netns.Distribution;
import dev.fleetvault.systest.netns.FleetOnHosts;
import dev.fleetvault.systest.netns.NetnsHosts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The fault campaign's machinery (issue 14), shared by the three- and five-member runs: a fleet
 * made by the key ceremony, one node per network namespace, run from the unpacked distribution;
 * each scenario puts the fleet under client load (SDK in the test JVM, every call recorded),
 * injects one fault, heals it, then checks the history ({@link Checker}) and asserts:
 *
 * <ul>
 *   <li>no acknowledged registration lost, no guess counter going down (guesses regained), no
 *       recovery answered with a stale or foreign secret;
 *   <li>every call answered (a result, "unavailable" or a clear error) within {@link #opDeadline};
 *   <li>an acknowledged call within the scenario's availability bound after the heal, and each
 *       faulted host's own edge serving again within the same bound (both measured and printed; the
 *       bounds are liveness claims, not speed ones);
 *   <li>where the fault leaves a healthy majority, calls acknowledged while the fault is on.
 * </ul>
 *
 * The table of results (with the campaign's wall time) is printed at the end and written to {@code
 * target/systest/campaign-<n>-nodes.txt}, the history as CSV next to the run's logs.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CampaignBase {
  /** One edge's request deadline in the SDK. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);

  /** The fleet must answer again within this after a fault heals. */
  static final Duration AVAILABILITY_BOUND = Duration.ofSeconds(60);

  /** Longer for scenarios whose heal restarts JVMs. */
  static final Duration RESTART_AVAILABILITY_BOUND = Duration.ofSeconds(150);

  static final Duration WARM_UP = Duration.ofSeconds(3);
  static final Duration AFTER_HEAL = Duration.ofSeconds(3);
  static final Duration VERIFY_BOUND = Duration.ofSeconds(40);
  static final int WORKERS = 3;

  private final int size;
  private final Duration opDeadline;
  private final Duration startDeadline;
  NetnsHosts hosts;
  FleetOnHosts fleet;
  FleetvaultClient client;
  LoadDriver load;
  final History history = new History();
  final List<String> rows = new ArrayList<>();
  Path work;
  private long startedAt;
  private long setUpMillis;

  /**
   * @param size members of the fleet
   * @param opDeadline a call not answered within this counts as unanswered (every edge tried once,
   *     plus slack)
   * @param startDeadline how long each node may take to start (all start at once on one machine)
   */
  CampaignBase(int size, Duration opDeadline, Duration startDeadline) {
    this.size = size;
    this.opDeadline = opDeadline;
    this.startDeadline = startDeadline;
  }

  /** A call not answered within this counts as unanswered. */
  Duration opDeadline() {
    return opDeadline;
  }

  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  @BeforeAll
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void startFleet() throws Exception {
    startedAt = System.nanoTime();
    work =
        TestEnvironment.buildDir()
            .resolve("systest/campaign" + size + "-" + System.currentTimeMillis());
    hosts = NetnsHosts.create(size, work);
    System.err.println("[campaign] hosts " + hosts + ", work " + work);
    Distribution dist = Distribution.unpack(work.resolve("dist"));
    fleet = new FleetOnHosts(hosts, dist, work);
    fleet.startDeadline(startDeadline);
    fleet.ceremonyAndBundle();
    fleet.startAll();
    client = fleet.client(fleet.edges(), REQUEST_TIMEOUT);
    load = new LoadDriver(client, history, opDeadline, WORKERS);
    setUpMillis = (System.nanoTime() - startedAt) / 1_000_000;
  }

  @AfterAll
  void stopFleet() throws Exception {
    try {
      if (load != null) {
        load.stop();
      }
      if (client != null) {
        client.close();
      }
    } finally {
      if (hosts != null) {
        hosts.close();
      }
      printTable();
    }
  }

  /** Records a scenario this kernel cannot run, with its reason. */
  void skipped(String name, String reason) {
    rows.add(String.format("%-52s | SKIPPED: %s", name, reason));
    System.err.println("[SKIPPED LOUDLY] " + name + ": " + reason);
  }

  /**
   * Load, fault on, hold, heal, wait for availability, load a little more, stop, check that every
   * faulted host's own edge serves, verify every user, check.
   *
   * @param targets the faulted hosts (each one's own edge must serve again after the heal)
   * @param majorityKeepsServing the fault leaves a healthy majority, so the fleet must keep
   *     acknowledging calls while it is on
   */
  void scenario(
      String name,
      List<Integer> targets,
      Step fault,
      Step heal,
      Duration hold,
      Duration bound,
      boolean majorityKeepsServing)
      throws Exception {
    awaitServing(name);
    System.err.println("[campaign] === " + name);
    long began = System.nanoTime();
    load.start(name);
    Thread.sleep(WARM_UP.toMillis());
    long faultAt = System.nanoTime();
    fault.run();
    Thread.sleep(hold.toMillis());
    long healAt = System.nanoTime();
    heal.run();
    long end = healAt + bound.toNanos();
    while (Checker.availableAfter(history.of(name), healAt) < 0 && System.nanoTime() < end) {
      Thread.sleep(250);
    }
    Thread.sleep(AFTER_HEAL.toMillis());
    load.stop();
    long targetBack = 0;
    for (int t : targets) {
      long back =
          targetServes(
              name, t, healAt, Math.max(end, System.nanoTime() + Duration.ofSeconds(30).toNanos()));
      targetBack = back < 0 || targetBack < 0 ? -1 : Math.max(targetBack, back);
    }
    load.verify(name, VERIFY_BOUND);
    List<Op> ops = history.of(name);
    Checker.Verdict v = Checker.check(ops);
    long available = Checker.availableAfter(ops, healAt);
    long duringFault = Checker.acknowledgedBetween(ops, faultAt, healAt);
    long seconds = (System.nanoTime() - began) / 1_000_000_000L;
    rows.add(
        String.format(
            "%-52s | %5d / %5d / %3d | %3d | %3d | %3d | %8s | %8s | %5d | %4d s",
            name,
            v.attempted(),
            v.acknowledged(),
            v.lost(),
            v.regained(),
            v.staleOrForeign(),
            v.unanswered(),
            ms(available),
            ms(targetBack),
            duringFault,
            seconds));
    v.violations().forEach(s -> System.err.println("[campaign] VIOLATION " + name + ": " + s));
    ops.stream()
        .filter(o -> !o.outcome().acknowledged())
        .limit(8)
        .forEach(
            o ->
                System.err.println(
                    "[campaign] "
                        + name
                        + ": "
                        + o.kind()
                        + " "
                        + o.user()
                        + " -> "
                        + o.outcome()
                        + " after "
                        + o.millis()
                        + " ms "
                        + o.detail()));
    assertThat(v.violations()).as("%s: violations", name).isEmpty();
    assertThat(v.unanswered())
        .as("%s: calls without any answer within %s", name, opDeadline)
        .isZero();
    if (majorityKeepsServing) {
      assertThat(duringFault)
          .as("%s: calls acknowledged while only a minority was faulty", name)
          .isPositive();
    }
    assertThat(available)
        .as("%s: an acknowledged call within %s of the heal (ms)", name, bound)
        .isBetween(0L, bound.toMillis());
    assertThat(targetBack)
        .as("%s: the faulted hosts' own edges serve within %s of the heal (ms)", name, bound)
        .isBetween(0L, bound.toMillis());
  }

  /**
   * Milliseconds from the heal until host {@code target}'s edge alone acknowledges a registration
   * and a recovery; -1 past {@code endNanos}.
   */
  private long targetServes(String name, int target, long healAt, long endNanos) throws Exception {
    Edge edge = fleet.edges().get(target - 1);
    try (FleetvaultClient only = fleet.client(List.of(edge), REQUEST_TIMEOUT)) {
      LoadDriver probe = new LoadDriver(only, history, opDeadline, 1);
      LoadDriver.UserState u =
          new LoadDriver.UserState(name + "-probe-dc" + target, "2468", "1357");
      do {
        Op r = probe.register(name, u);
        if (r.outcome().acknowledged()) {
          Op rec = probe.recover(name, u, true);
          if (rec.outcome().acknowledged()) {
            return (rec.endNanos() - healAt) / 1_000_000;
          }
        }
        Thread.sleep(1000);
      } while (System.nanoTime() < endNanos);
      return -1;
    }
  }

  /**
   * Before a scenario: the fleet answers a registration and a recovery (left healthy by the
   * previous one).
   */
  private void awaitServing(String name) throws Exception {
    LoadDriver probe = new LoadDriver(client, history, opDeadline, 1);
    LoadDriver.UserState u =
        new LoadDriver.UserState("pre-" + name.hashCode() + "-w-health", "1111", "2222");
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "";
    while (System.nanoTime() < end) {
      Op r = probe.register("health", u);
      if (r.outcome() == Op.Outcome.REGISTERED
          && probe.recover("health", u, true).outcome() == Op.Outcome.RECOVERED) {
        return;
      }
      last = r.outcome() + " " + r.detail();
      Thread.sleep(1000);
    }
    throw new AssertionError(
        "fleet not serving before scenario '" + name + "' (left so by the previous one?): " + last);
  }

  /** The host whose node an edge reports as the Raft leader. */
  int leader() throws Exception {
    for (int tries = 0; tries < 20; tries++) {
      FleetStatus s = client.status().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (s.leader().isPresent()) {
        String l = s.leader().get();
        return Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1));
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no edge reports a Raft leader");
  }

  /** The {@code k}-th follower (1-based) after {@code leader}, in host order. */
  int follower(int leader, int k) {
    return (leader - 1 + k) % hosts.size() + 1;
  }

  /** The first follower after the current leader. */
  int follower() throws Exception {
    return follower(leader(), 1);
  }

  private static String ms(long millis) {
    return millis < 0 ? "never" : millis + " ms";
  }

  private void printTable() throws Exception {
    long wall = (System.nanoTime() - startedAt) / 1_000_000_000L;
    StringBuilder t = new StringBuilder();
    t.append("\nFAULT CAMPAIGN, ")
        .append(size)
        .append(
            " nodes (made by the key ceremony, one per network namespace, run from the"
                + " distribution tarball)\n");
    t.append(
        String.format(
            "%-52s | %-21s | %3s | %3s | %3s | %8s | %8s | %5s | %6s%n",
            "scenario",
            "ops att / ack / lost",
            "reg",
            "stl",
            "una",
            "avail",
            "target",
            "inflt",
            "time"));
    rows.forEach(r -> t.append(r).append('\n'));
    t.append("reg = guesses regained (a counter going down); stl = stale or foreign secrets; una =")
        .append(" unanswered within ")
        .append(opDeadline.toSeconds())
        .append(
            " s; avail = first acknowledged call after the heal; target = the faulted hosts' own"
                + " edges serve again; inflt = calls started while the fault was on and"
                + " acknowledged; time = the scenario's wall time\n");
    t.append("campaign wall time ")
        .append(wall)
        .append(" s (fleet set-up ")
        .append(setUpMillis / 1000)
        .append(" s)\n");
    System.err.println(t);
    if (work != null) {
      Files.createDirectories(work.getParent());
      Files.writeString(
          work.getParent().resolve("campaign-" + size + "-nodes.txt"),
          t.toString(),
          StandardCharsets.UTF_8);
      Files.createDirectories(work);
      history.writeCsv(work.resolve("history.csv"));
      System.err.println("[campaign] history of every call: " + work.resolve("history.csv"));
    }
  }
}
