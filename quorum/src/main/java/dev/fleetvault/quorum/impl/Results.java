package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.CommandOutcome;
import dev.fleetvault.quorum.LedgerResult;
import dev.fleetvault.quorum.RejectReason;
import dev.fleetvault.quorum.RowState;
import dev.fleetvault.quorum.RowView;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Encoding of the state machine's answers: {@code 0 || row || allowed || destroyed || counterReset
 * || appliedIndex} (applied), {@code 1 || reason || utf8 detail} (rejected, no effect).
 */
final class Results {
  static final byte OK = 0;
  static final byte REJECTED = 1;

  private Results() {}

  static byte[] ok(RowView row, boolean allowed, boolean destroyed) {
    return ok(row, allowed, destroyed, false, 0);
  }

  static byte[] ok(
      RowView row, boolean allowed, boolean destroyed, boolean counterReset, long appliedIndex) {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream(160);
      DataOutputStream out = new DataOutputStream(bos);
      out.writeByte(OK);
      writeRow(out, row);
      out.writeBoolean(allowed);
      out.writeBoolean(destroyed);
      out.writeBoolean(counterReset);
      out.writeLong(appliedIndex);
      out.flush();
      return bos.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] rejected(RejectReason reason, String detail) {
    byte[] d = detail.getBytes(StandardCharsets.UTF_8);
    byte[] r = new byte[2 + d.length];
    r[0] = REJECTED;
    r[1] = (byte) reason.ordinal();
    System.arraycopy(d, 0, r, 2, d.length);
    return r;
  }

  static LedgerResult<CommandOutcome> decodeCommand(byte[] rsp) {
    try {
      DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(rsp));
      byte status = in.readByte();
      if (status == REJECTED) {
        RejectReason reason = RejectReason.values()[in.readByte()];
        return new LedgerResult.Rejected<>(
            reason, new String(rsp, 2, rsp.length - 2, StandardCharsets.UTF_8));
      }
      RowView row = readRow(in);
      boolean allowed = in.readBoolean();
      boolean destroyed = in.readBoolean();
      boolean reset = in.readBoolean();
      long index = in.readLong();
      if (in.available() > 0) throw new IOException("trailing bytes");
      return new LedgerResult.Committed<>(
          new CommandOutcome(row, allowed, destroyed, reset, index));
    } catch (IOException | RuntimeException e) {
      return new LedgerResult.Rejected<>(RejectReason.MALFORMED, "undecodable ledger answer");
    }
  }

  static void writeRow(DataOutputStream out, RowView r) throws IOException {
    out.writeUTF(r.user());
    out.writeByte(r.memberId());
    out.writeByte(r.state().ordinal());
    out.writeLong(r.version());
    byte[] d = r.recordDigest();
    out.writeByte(d.length);
    out.write(d);
    out.writeShort(r.guessLimit());
    out.writeLong(r.generation());
    out.writeShort(r.fleetAttempts());
    out.writeLong(r.sequence());
  }

  static RowView readRow(DataInputStream in) throws IOException {
    String user = in.readUTF();
    int member = in.readUnsignedByte();
    RowState state = RowState.values()[in.readUnsignedByte()];
    long version = in.readLong();
    byte[] d = new byte[in.readUnsignedByte()];
    in.readFully(d);
    int limit = in.readUnsignedShort();
    long generation = in.readLong();
    int fleetAttempts = in.readUnsignedShort();
    long seq = in.readLong();
    return new RowView(user, member, state, version, d, limit, generation, fleetAttempts, seq);
  }
}
