package dev.fleetvault.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.quorum.impl.DefaultQuorumNode;
import java.time.Duration;
import java.util.List;
import org.jgroups.JChannel;
import org.jgroups.protocols.PerDestinationBundler;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TP;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: on both quorum channels of every member, messages to each peer leave through that
 * peer's own sender thread and bounded queue (JGroups' per-destination bundler in multi-thread
 * mode), so a frozen member (its TCP window full) blocks only the thread that sends to it; and
 * neither of JGroups 5.5.2's two spinning alternatives is in use: the per-destination bundler's
 * single-thread mode and TCP {@code non_blocking_sends} (see quorum/README.md). The fault campaign
 * (systest) shows the behaviour: a frozen follower under load no longer stops the fleet.
 */
@Tag("process")
@Timeout(180)
class SenderThreadsTest extends QuorumTestBase {

  @Test
  void bothChannels_everyMember_oneSenderThreadPerDestinationAndNoNonBlockingSends()
      throws Exception {
    try (Cluster c = new Cluster(3, workDir("sender-threads"), Duration.ofSeconds(3))) {
      c.startAll();
      c.awaitReady();
      for (int id = 1; id <= 3; id++) {
        DefaultQuorumNode n = c.node(id);
        for (JChannel ch : List.of(n.raftLedger().channel(), n.recordStore().channel())) {
          TP tp = ch.getProtocolStack().getTransport();
          assertThat(tp.getBundler())
              .as("m%d %s bundler", id, ch.getClusterName())
              .isInstanceOf(PerDestinationBundler.class);
          assertThat(((PerDestinationBundler) tp.getBundler()).useSingleSenderThread())
              .as("m%d %s single sender thread", id, ch.getClusterName())
              .isFalse();
          assertThat(((TCP) tp).nonBlockingSends())
              .as("m%d %s non_blocking_sends", id, ch.getClusterName())
              .isFalse();
        }
      }
    }
  }
}
