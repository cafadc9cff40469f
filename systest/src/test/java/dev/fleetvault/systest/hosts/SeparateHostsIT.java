package dev.fleetvault.systest.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.Edge;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import dev.fleetvault.driver.tck.TestEnvironment;
import dev.fleetvault.systest.netns.Distribution;
import dev.fleetvault.systest.netns.FleetOnHosts;
import dev.fleetvault.systest.netns.NetnsHosts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12: three nodes on three separate hosts (network namespaces, each its own address and data
 * directory, nothing shared), made by the key ceremony from the unpacked distribution ({@code
 * ceremony member} on each host, {@code combine}, the signer and {@code bundle publish} on the
 * operator's machine); the nodes boot from the signed bundle. A client verifying the bundle
 * registers and recovers; with one host's link down the other two keep serving (registration and
 * recovery succeed); with the link back, that host rejoins and its own edge serves the registration
 * made while it was away.
 */
@Tag("process")
class SeparateHostsIT {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);
  static final Duration CALL_DEADLINE = Duration.ofSeconds(40);

  /** A liveness bound (not a speed claim): the fleet serves again within this. */
  static final Duration SERVE_BOUND = Duration.ofSeconds(120);

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void ceremonyFleetOnThreeHosts_oneLinkDown_twoServe_linkUp_thirdRejoins() throws Exception {
    Path work = TestEnvironment.buildDir().resolve("systest/hosts-" + System.currentTimeMillis());
    try (NetnsHosts hosts = NetnsHosts.create(3, work)) {
      System.err.println("[hosts] " + hosts + ", work " + work);
      Distribution dist = Distribution.unpack(work.resolve("dist"));
      FleetOnHosts fleet = new FleetOnHosts(hosts, dist, work);
      fleet.ceremonyAndBundle();
      fleet.startAll();
      assertNothingShared(fleet, 3);

      try (FleetvaultClient all = fleet.client(fleet.edges(), REQUEST_TIMEOUT)) {
        assertThat(registerUntil(all, "alice", "1234", "alice's secret")).isTrue();
        assertThat(recover(all, "alice", "1234")).isEqualTo("alice's secret");
      }

      System.err.println("[hosts] link of dc3 down");
      hosts.linkDown(3);
      List<Edge> twoEdges = fleet.edges().subList(0, 2);
      try (FleetvaultClient two = fleet.client(twoEdges, REQUEST_TIMEOUT)) {
        assertThat(registerUntil(two, "bob", "5678", "bob's secret"))
            .as("dc1 and dc2 register while dc3 is cut off")
            .isTrue();
        assertThat(recover(two, "bob", "5678")).isEqualTo("bob's secret");
        assertThat(recover(two, "alice", "1234")).isEqualTo("alice's secret");
      }

      System.err.println("[hosts] link of dc3 up");
      hosts.linkUp(3);
      try (FleetvaultClient third = fleet.client(List.of(fleet.edges().get(2)), REQUEST_TIMEOUT)) {
        long end = System.nanoTime() + SERVE_BOUND.toNanos();
        String got = null;
        while (got == null && System.nanoTime() < end) {
          got = tryRecover(third, "bob", "5678");
          if (got == null) {
            Thread.sleep(2000);
          }
        }
        assertThat(got)
            .as("dc3's own edge serves bob (registered while dc3 was away) within %s", SERVE_BOUND)
            .isEqualTo("bob's secret");
      }
      assertThat(fleet.node(3).process().isAlive()).isTrue();
    }
  }

  /**
   * Each host has its own configuration and data directory; no development fleet directory exists.
   */
  private static void assertNothingShared(FleetOnHosts fleet, int n) throws Exception {
    for (int i = 1; i <= n; i++) {
      Path dir = fleet.hostDir(i);
      assertThat(Files.readString(fleet.config(i)))
          .contains("fleet_bundle:")
          .doesNotContain("development: true");
      try (Stream<Path> s = Files.walk(dir)) {
        assertThat(
                s.filter(p -> p.getFileName().toString().equals("fleet") && Files.isDirectory(p))
                    .toList())
            .as("no development fleet directory under %s", dir)
            .isEmpty();
      }
      assertThat(dir.resolve("data").resolve(FleetOnHosts.member(i))).isDirectory();
    }
  }

  private static boolean registerUntil(FleetvaultClient c, String user, String pin, String secret)
      throws Exception {
    long end = System.nanoTime() + SERVE_BOUND.toNanos();
    while (System.nanoTime() < end) {
      RegisterResult r =
          c.register(
                  user,
                  Pin.of(pin.toCharArray()),
                  BackupSecret.copyOf(secret.getBytes(StandardCharsets.UTF_8)),
                  10)
              .toCompletableFuture()
              .get(CALL_DEADLINE.toSeconds(), TimeUnit.SECONDS);
      if (r instanceof RegisterResult.Registered) {
        return true;
      }
      System.err.println("[hosts] register " + user + ": " + r);
      Thread.sleep(2000);
    }
    return false;
  }

  private static String recover(FleetvaultClient c, String user, String pin) throws Exception {
    long end = System.nanoTime() + SERVE_BOUND.toNanos();
    while (System.nanoTime() < end) {
      String got = tryRecover(c, user, pin);
      if (got != null) {
        return got;
      }
      Thread.sleep(2000);
    }
    return null;
  }

  /**
   * The recovered secret, or null when the fleet was unavailable (any other outcome fails the
   * test).
   */
  private static String tryRecover(FleetvaultClient c, String user, String pin) throws Exception {
    RecoverResult r =
        c.recover(user, Pin.of(pin.toCharArray()))
            .toCompletableFuture()
            .get(CALL_DEADLINE.toSeconds(), TimeUnit.SECONDS);
    if (r instanceof RecoverResult.Recovered rec) {
      try (BackupSecret s = rec.secret()) {
        return new String(s.copyBytes(), StandardCharsets.UTF_8);
      }
    }
    assertThat(r).as("recover %s", user).isInstanceOf(RecoverResult.Unavailable.class);
    System.err.println("[hosts] recover " + user + ": " + r);
    return null;
  }
}
