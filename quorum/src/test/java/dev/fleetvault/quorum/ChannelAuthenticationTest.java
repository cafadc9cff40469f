package dev.fleetvault.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetvault.quorum.impl.DefaultQuorumNode;
import java.time.Duration;
import java.util.List;
import org.jgroups.JChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Property: both quorum channels (the Raft ledger channel and the Infinispan record-store channel)
 * admit only peers holding a fleet member certificate. A 3-member fleet runs members 1 and 2; each
 * test starts an intruder on member 3's configured address and ports (same member list, same
 * stacks) with the wrong TLS identity, and checks that neither channel's view ever grows past {m1,
 * m2}, that the intruder sees only itself, and that the ledger state and commit index of the
 * members are unchanged.
 */
@Tag("process")
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChannelAuthenticationTest extends QuorumTestBase {
  private static Cluster cluster;

  @BeforeAll
  static void up() throws Exception {
    cluster = new Cluster(3, workDir("channel-auth"), Duration.ofSeconds(3)).start(1, 2);
    cluster.awaitReady();
    byte[] sealed = random(64);
    join(cluster.node(1).records().put("carol", 1, 1, sealed));
    assertThat(join(cluster.memberLedger(1).register("carol", 1, sha256(sealed), 5)).isCommitted())
        .isTrue();
    cluster.awaitConverged();
  }

  @AfterAll
  static void down() {
    if (cluster != null) cluster.close();
  }

  /** Property: a peer speaking plaintext (no certificate at all) cannot join either channel. */
  @Test
  void join_plaintextPeerWithoutCertificate_refusedOnBothChannels() throws Exception {
    assertIntruderRefused(ChannelSecurity.insecurePlaintextForTests());
  }

  /**
   * Property: a peer with a self-signed certificate carrying a member's name cannot join either
   * channel.
   */
  @Test
  void join_selfSignedMemberNamedCert_refusedOnBothChannels() throws Exception {
    TestPki.Identity self = TestPki.selfSigned("m3");
    assertIntruderRefused(
        ChannelSecurity.of(
            self.keys().getPrivate(),
            List.of(self.cert()),
            List.of(self.cert()),
            cluster.memberNames()));
  }

  /**
   * Property: a peer whose member-named certificate comes from another CA cannot join either
   * channel.
   */
  @Test
  void join_memberNamedCertFromAnotherCa_refusedOnBothChannels() throws Exception {
    TestPki other = new TestPki("some other CA");
    TestPki.Identity id = other.issue("m3");
    // it even trusts the fleet CA, so the refusal is the members' doing
    assertIntruderRefused(
        ChannelSecurity.of(
            id.keys().getPrivate(),
            List.of(id.cert()),
            List.of(other.caCert(), cluster.pki.caCert()),
            cluster.memberNames()));
  }

  /**
   * Property: a certificate from the fleet CA is not enough: a peer whose certificate names no
   * member is refused.
   */
  @Test
  void join_fleetCaCertForNonMember_refusedOnBothChannels() throws Exception {
    TestPki.Identity id = cluster.pki.issue("intruder");
    assertIntruderRefused(cluster.pki.security(id, List.of("m1", "m2", "m3", "intruder")));
  }

  /**
   * Property (control): the same start with member 3's own fleet certificate joins both channels,
   * so the refusals above are the certificates' doing. Runs last (m3 stays in the views for a
   * while).
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void join_memberCertificate_admittedOnBothChannels() throws Exception {
    cluster.start(3);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                cluster.node(1).raftLedger().channel().getView().size() == 3
                    && cluster.node(1).recordStore().channel().getView().size() == 3);
    cluster.awaitConverged();
    assertThat(cluster.node(3).raftLedger().stateMachine().localRow("carol", 1).version())
        .isEqualTo(1);
  }

  private static void assertIntruderRefused(ChannelSecurity intruderSecurity) throws Exception {
    String digestBefore = hex(cluster.node(1).raftLedger().stateMachine().stateDigest());
    long commitBefore = cluster.node(1).raftLedger().commitIndex();
    QuorumConfig cfg =
        cluster
            .config(3)
            .withChannelSecurity(intruderSecurity)
            .withStartTimeout(Duration.ofSeconds(20));
    DefaultQuorumNode intruder = null;
    try {
      try {
        intruder = (DefaultQuorumNode) QuorumNode.start(cfg);
      } catch (QuorumStartException e) {
        // refused outright: fine too
      }
      long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      while (System.nanoTime() < until) {
        for (int id = 1; id <= 2; id++) {
          DefaultQuorumNode n = cluster.node(id);
          assertThat(names(n.raftLedger().channel()))
              .as("ledger view of m%d", id)
              .containsExactlyInAnyOrder("m1", "m2");
          assertThat(n.recordStore().channel().getView().size())
              .as("record-store view of m%d", id)
              .isEqualTo(2);
        }
        if (intruder != null) {
          assertThat(intruder.raftLedger().channel().getView().size()).isEqualTo(1);
          assertThat(intruder.recordStore().channel().getView().size()).isEqualTo(1);
          assertThat(intruder.majorityReachable()).isFalse();
        }
        Thread.sleep(200);
      }
      assertThat(cluster.node(1).raftLedger().commitIndex()).isEqualTo(commitBefore);
      assertThat(hex(cluster.node(1).raftLedger().stateMachine().stateDigest()))
          .isEqualTo(digestBefore);
      assertThat(hex(cluster.node(2).raftLedger().stateMachine().stateDigest()))
          .isEqualTo(digestBefore);
      assertThat(cluster.node(1).majorityReachable()).isTrue();
    } finally {
      if (intruder != null) intruder.close();
    }
  }

  private static List<String> names(JChannel ch) {
    return ch.getView().getMembers().stream().map(Object::toString).toList();
  }
}
