package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.RowState;
import dev.fleetvault.quorum.RowView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Message;
import org.jgroups.ObjectMessage;
import org.jgroups.protocols.raft.AppendEntriesRequest;
import org.jgroups.protocols.raft.InstallSnapshotRequest;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;
import org.jgroups.protocols.raft.PersistentState;

/**
 * What a compromised member can do on the Raft channel with its own node (tests only): read its
 * replica's log, forge forwarded answers, send AppendEntries and InstallSnapshot messages of its
 * own making.
 */
public final class Forgery {
  private Forgery() {}

  public static FleetRaft raft(RaftLedger l) {
    return l.channel().getProtocolStack().findProtocol(FleetRaft.class);
  }

  /**
   * Every member-command entry still in {@code l}'s log, in log order (whole entries, kind byte
   * first).
   */
  public static List<byte[]> memberCommandEntries(RaftLedger l) {
    FleetRaft r = raft(l);
    List<byte[]> out = new ArrayList<>();
    for (long i = Math.max(1, r.log().firstAppended()); i <= r.lastAppended(); i++) {
      LogEntry e = r.log().get(i);
      if (e == null || e.length() < 2) continue;
      byte[] b = java.util.Arrays.copyOfRange(e.command(), e.offset(), e.offset() + e.length());
      if (b[0] == Entries.MEMBER_COMMAND) out.add(b);
    }
    return out;
  }

  /** The envelope (SignedCommand bytes) of a member-command entry. */
  public static byte[] envelope(byte[] entry) {
    return java.util.Arrays.copyOfRange(entry, 1, entry.length);
  }

  /** An entry carrying {@code envelope}. */
  public static byte[] entry(byte[] envelope) {
    return Entries.memberCommand(envelope);
  }

  /** A well-formed state-machine answer "committed, allowed" with a row at 0 of 100 attempts. */
  public static byte[] forgedAllowedAnswer(String user, int member, byte[] digest) {
    return Results.ok(
        new RowView(user, member, RowState.REGISTERED, 1, digest, 100, 1, 0, 1), true, false);
  }

  /** The FWD_RSP payload "result" for correlation id {@code corr}. */
  public static byte[] forgedForwardReply(long corr, byte[] answer) {
    return ByteBuffer.allocate(1 + 8 + 1 + answer.length)
        .put((byte) 0x11)
        .putLong(corr)
        .put((byte) 0)
        .put(answer)
        .array();
  }

  /** The correlation id of a FWD_REQ payload, or -1. */
  public static long forwardRequestId(Message msg) {
    byte[] a = msg.getArray();
    if (a == null || msg.getLength() < 9 || a[msg.getOffset()] != 0x10) return -1;
    return ByteBuffer.wrap(a, msg.getOffset() + 1, 8).getLong();
  }

  /** Sends an AppendEntries of {@code from}'s making (bypassing its own RAFT) to {@code to}. */
  public static void sendAppendEntries(
      RaftLedger from,
      Address to,
      long term,
      long prevIndex,
      long prevTerm,
      List<byte[]> entries,
      long leaderCommit) {
    FleetRaft r = raft(from);
    LogEntries es = new LogEntries();
    for (byte[] e : entries) es.add(new LogEntry(term, e));
    Message msg =
        new ObjectMessage(to, es)
            .putHeader(
                r.getId(),
                new AppendEntriesRequest(
                    from.channel().getAddress(), term, prevIndex, prevTerm, term, leaderCommit));
    r.getDownProtocol().down(msg);
  }

  /** Sends an InstallSnapshot of {@code from}'s making to {@code to}. */
  public static void sendInstallSnapshot(
      RaftLedger from, Address to, long term, byte[] snapshot, long lastIndex, long lastTerm) {
    FleetRaft r = raft(from);
    Message msg =
        new BytesMessage(to, snapshot)
            .putHeader(
                r.getId(),
                new InstallSnapshotRequest(term, from.channel().getAddress(), lastIndex, lastTerm));
    r.getDownProtocol().down(msg);
  }

  /**
   * The snapshot message body RAFT would send for {@code l}'s current state (members, then the
   * state machine).
   */
  public static byte[] genuineSnapshot(RaftLedger l) throws Exception {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bos);
    PersistentState ps = new PersistentState();
    ps.setMembers(raft(l).members());
    ps.writeTo(out);
    l.stateMachine().writeContentTo(out);
    out.flush();
    return bos.toByteArray();
  }

  /**
   * {@code l}'s current state with {@code user}'s registrations emptied and {@code member}'s row
   * limit set to {@code limit} (e.g. 2/3 attempts become 0/100), as a snapshot message body.
   */
  public static byte[] loweredSnapshot(RaftLedger l, String user, int member, int limit)
      throws Exception {
    LedgerStateMachine copy = new LedgerStateMachine(l.stateMachine().verifier());
    byte[] genuine = genuineSnapshot(l);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(genuine));
    new PersistentState().readFrom(in);
    copy.readContentFrom(in);
    copy.regs.forEach(
        (k, reg) -> {
          if (k.user().equals(user)) reg.counted.clear();
        });
    copy.rows.get(new LedgerStateMachine.RowKey(user, member)).guessLimit = limit;
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bos);
    PersistentState ps = new PersistentState();
    ps.setMembers(raft(l).members());
    ps.writeTo(out);
    copy.writeContentTo(out);
    out.flush();
    return bos.toByteArray();
  }
}
