package dev.fleetvault.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ledger replica API tools use: the member's own state machine, its rules and snapshots. */
class LedgerReplicaTest {
  private static final SecureRandom RND = new SecureRandom();
  private final KeyPair member1 = key();
  private final KeyPair member2 = key();
  private final List<QuorumMember> members =
      List.of(
          new QuorumMember(1, "127.0.0.1", 1, 2, member1.getPublic()),
          new QuorumMember(2, "127.0.0.1", 3, 4, member2.getPublic()));

  @Test
  void apply_registerSignedByTheMember_appliedOneRow() throws Exception {
    LedgerReplica r = LedgerReplica.forEpoch(1L, members);

    byte[] answer = r.apply(entry(member1, register(1)));

    assertThat(answer[0]).as("applied").isZero();
    assertThat(r.rowCount()).isEqualTo(1);
  }

  @Test
  void apply_registerSignedByAnotherKey_refusedNothingChanged() throws Exception {
    LedgerReplica r = LedgerReplica.forEpoch(1L, members);

    byte[] answer = r.apply(entry(member2, register(1)));

    assertThat(answer[0]).as("refused").isNotZero();
    assertThat(r.rowCount()).isZero();
  }

  @Test
  void snapshot_writtenAndReadIntoAFreshReplica_sameStateSameBytes() throws Exception {
    LedgerReplica a = LedgerReplica.forEpoch(1L, members);
    a.apply(entry(member1, register(1)));
    a.apply(entry(member2, register(2)));
    byte[] snapshot = snapshot(a);

    LedgerReplica b = LedgerReplica.forEpoch(1L, members);
    b.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot)));

    assertThat(b.rowCount()).isEqualTo(2);
    assertThat(snapshot(b)).isEqualTo(snapshot);
  }

  private static byte[] snapshot(LedgerReplica r) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      r.writeSnapshot(out);
    }
    return bytes.toByteArray();
  }

  private static LedgerCommand register(int member) {
    byte[] requestId = new byte[LedgerCommand.REQUEST_ID_LEN];
    RND.nextBytes(requestId);
    byte[] digest = new byte[32];
    RND.nextBytes(digest);
    return LedgerCommand.register(1L, member, "u", 1, requestId, 1, digest, 10);
  }

  /** A member-command log entry: type byte 1, then the signed command. */
  private static byte[] entry(KeyPair signer, LedgerCommand c) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(signer.getPrivate());
    s.update(c.canonicalBytes());
    byte[] env = SignedCommand.of(c, s.sign()).encode();
    return ByteBuffer.allocate(1 + env.length).put((byte) 1).put(env).array();
  }

  private static KeyPair key() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
