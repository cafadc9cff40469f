package dev.fleetvault.gateway.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.gateway.config.MemberSpec;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A taken port is named (key, address, owner) before a node starts anything. */
class PortCheckTest {

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static MemberSpec member(int raft, int admin) throws Exception {
    HostPort lo = new HostPort("127.0.0.1", 0);
    return new MemberSpec(
        "dc1",
        "dc1",
        lo.withPort(freePort()),
        lo.withPort(freePort()),
        lo.withPort(raft),
        lo.withPort(freePort()),
        lo.withPort(admin));
  }

  @Test
  void requireFree_raftPortTaken_namesKeyPortAndOwner() throws Exception {
    try (ServerSocket holder = new ServerSocket()) {
      holder.bind(new InetSocketAddress("127.0.0.1", 0));
      int taken = holder.getLocalPort();
      MemberSpec m = member(taken, 0);
      assertThatThrownBy(() -> PortCheck.requireFree(m, "node.yaml"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("node.yaml")
          .hasMessageContaining(
              "fleet.members[dc1].raft 127.0.0.1:" + taken + ": port already in use")
          .hasMessageContaining("(held by pid " + ProcessHandle.current().pid() + " ");
    }
  }

  @Test
  void requireFree_adminPortTaken_namesAdmin() throws Exception {
    try (ServerSocket holder = new ServerSocket()) {
      holder.bind(new InetSocketAddress("127.0.0.1", 0));
      MemberSpec m = member(freePort(), holder.getLocalPort());
      assertThatThrownBy(() -> PortCheck.requireFree(m, "node.yaml"))
          .hasMessageContaining("fleet.members[dc1].admin 127.0.0.1:" + holder.getLocalPort());
    }
  }

  @Test
  void requireFree_allFree_passesAndReleasesPorts() throws Exception {
    MemberSpec m = member(freePort(), freePort());
    assertThatCode(() -> PortCheck.requireFree(m, "node.yaml")).doesNotThrowAnyException();
    assertThat(PortCheck.tryBind(m.raft())).as("the check released the port").isEmpty();
  }

  @Test
  void listeners_noAdmin_fourKeys() throws Exception {
    HostPort lo = new HostPort("127.0.0.1", 1);
    assertThat(PortCheck.listeners(new MemberSpec("dc1", "dc1", lo, lo, lo, lo)).keySet())
        .containsExactly("raft", "cluster", "peer", "client");
  }
}
