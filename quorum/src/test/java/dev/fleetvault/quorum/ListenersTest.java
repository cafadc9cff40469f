package dev.fleetvault.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: a quorum node listens only on its configured address and its two documented ports (the
 * Raft ledger port and the record-store port): no FD_SOCK2 port+100, no diagnostics socket, nothing
 * on the wildcard address. Read from {@code /proc/net/tcp{,6}}, restricted to this JVM's own
 * sockets ({@code /proc/self/fd}), before and after a 3-node cluster starts.
 */
@Tag("process")
@Timeout(240)
class ListenersTest extends QuorumTestBase {

  /**
   * Property: the TCP listeners a 3-node cluster adds are exactly 127.0.0.1:{raftPort, clusterPort}
   * of each member.
   */
  @Test
  void listeners_threeNodeCluster_onlyConfiguredAddressAndPorts() throws Exception {
    Set<String> before = jvmListeners();
    try (Cluster c = new Cluster(3, workDir("listeners"), Duration.ofSeconds(3))) {
      c.startAll();
      c.awaitReady();
      Set<String> expected = new TreeSet<>();
      for (QuorumMember m : c.members) {
        expected.add("127.0.0.1:" + m.raftPort());
        expected.add("127.0.0.1:" + m.clusterPort());
      }
      Set<String> added = new TreeSet<>(jvmListeners());
      added.removeAll(before);
      assertThat(added).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /** LISTEN sockets of this process as "ip:port" (IPv4-mapped IPv6 shown as IPv4). */
  static Set<String> jvmListeners() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String t = Files.readSymbolicLink(fd).toString();
          if (t.startsWith("socket:[")) inodes.add(t.substring(8, t.length() - 1));
        } catch (IOException e) {
          // fd closed meanwhile
        }
      }
    }
    Set<String> out = new TreeSet<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(file));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (!f[3].equals("0A") || !inodes.contains(f[9])) continue;
        String[] hp = f[1].split(":");
        out.add(ip(hp[0]) + ":" + Integer.parseInt(hp[1], 16));
      }
    }
    return out;
  }

  private static String ip(String hex) {
    if (hex.length() == 8) return v4(hex);
    // four little-endian 32-bit words
    if (hex.startsWith("0000000000000000FFFF0000")) return v4(hex.substring(24));
    if (hex.equals("00000000000000000000000000000000")) return "[::]";
    return "[" + hex + "]";
  }

  private static String v4(String le) {
    long v = Long.parseLong(le, 16);
    return (v & 0xff)
        + "."
        + ((v >> 8) & 0xff)
        + "."
        + ((v >> 16) & 0xff)
        + "."
        + ((v >> 24) & 0xff);
  }
}
