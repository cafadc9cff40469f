package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.CommandType;
import dev.fleetvault.quorum.LedgerCommand;
import dev.fleetvault.quorum.RowState;
import dev.fleetvault.quorum.SignedCommand;
import dev.fleetvault.quorum.impl.LedgerStateMachine.Counted;
import dev.fleetvault.quorum.impl.LedgerStateMachine.Id;
import dev.fleetvault.quorum.impl.LedgerStateMachine.RegKey;
import dev.fleetvault.quorum.impl.LedgerStateMachine.Registration;
import dev.fleetvault.quorum.impl.LedgerStateMachine.Row;
import dev.fleetvault.quorum.impl.LedgerStateMachine.RowKey;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ledger snapshot format (version 2) and the rules a snapshot must pass before a replica
 * installs it.
 *
 * <p>Format: {@code u32 format=2 || u32 rows || rows || u32 registrations || registrations}; a row
 * is {@code user, member, state, version, digest, limit, sequence, latest signed command, [signed
 * REGISTER]}; a registration is {@code user, version, generation, reset proof (signed SUCCEEDs),
 * counted ids (signed ATTEMPT + signed SUCCEEDs each)}. Nothing in it is taken on trust.
 *
 * <p>Guarantees of {@link #read}: every signed command parses strictly and its signature verifies
 * under its member's key; every row agrees with its owner's latest signed command (same sequence)
 * and signed {@code REGISTER} (version, digest, limit); every counted id is backed by an {@code
 * ATTEMPT} of that registration and generation; every {@code SUCCEED} names a counted id of the
 * current generation, from distinct members, fewer than {@code t}; a generation {@code g > 1} is
 * backed by {@code t} distinct members' {@code SUCCEED}s of generation {@code g − 1} for one id;
 * registrations are exactly those rows refer to. {@link #contradicts} then refuses a snapshot that
 * would lower anything the replica holds.
 */
final class LedgerSnapshot {
  static final int FORMAT = 2;
  private static final int MAX_ROWS = 50_000_000;

  final TreeMap<RowKey, Row> rows = new TreeMap<>();
  final TreeMap<RegKey, Registration> regs = new TreeMap<>();

  private LedgerSnapshot() {}

  static void write(DataOutput out, TreeMap<RowKey, Row> rows, TreeMap<RegKey, Registration> regs)
      throws IOException {
    out.writeInt(FORMAT);
    out.writeInt(rows.size());
    for (Map.Entry<RowKey, Row> e : rows.entrySet()) {
      Row r = e.getValue();
      out.writeUTF(e.getKey().user());
      out.writeByte(e.getKey().member());
      out.writeByte(r.state.ordinal());
      out.writeLong(r.version);
      writeBytes(out, r.digest);
      out.writeShort(r.guessLimit);
      out.writeLong(r.sequence);
      writeBytes(out, r.lastCommand);
      out.writeBoolean(r.registerCommand != null);
      if (r.registerCommand != null) writeBytes(out, r.registerCommand);
    }
    out.writeInt(regs.size());
    for (Map.Entry<RegKey, Registration> e : regs.entrySet()) {
      Registration g = e.getValue();
      out.writeUTF(e.getKey().user());
      out.writeLong(e.getKey().version());
      out.writeLong(g.generation);
      writeMembers(out, g.resetProof);
      out.writeInt(g.counted.size());
      for (Counted c : g.counted.values()) {
        writeBytes(out, c.attempt);
        out.writeShort(c.evaluators.size());
        for (int m : c.evaluators) out.writeByte(m);
        writeMembers(out, c.succeeders);
      }
    }
  }

  private static void writeMembers(DataOutput out, TreeMap<Integer, byte[]> m) throws IOException {
    out.writeShort(m.size());
    for (byte[] b : m.values()) writeBytes(out, b);
  }

  private static void writeBytes(DataOutput out, byte[] b) throws IOException {
    out.writeShort(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInput in) throws IOException {
    byte[] b = new byte[in.readUnsignedShort()];
    in.readFully(b);
    return b;
  }

  /**
   * Parses and verifies a snapshot. @throws IOException if anything in it is malformed or
   * unverifiable
   */
  static LedgerSnapshot read(DataInput in, CommandVerifier verifier) throws IOException {
    int format = in.readInt();
    if (format != FORMAT) throw new IOException("unknown ledger snapshot format " + format);
    LedgerSnapshot s = new LedgerSnapshot();
    int n = in.readInt();
    if (n < 0 || n > MAX_ROWS) throw new IOException("bad row count");
    for (int i = 0; i < n; i++) {
      String user = in.readUTF();
      int member = in.readUnsignedByte();
      int state = in.readUnsignedByte();
      if (state >= RowState.values().length) throw new IOException("bad row state");
      Row r = new Row();
      r.state = RowState.values()[state];
      r.version = in.readLong();
      r.digest = readBytes(in);
      r.guessLimit = in.readUnsignedShort();
      r.sequence = in.readLong();
      r.lastCommand = readBytes(in);
      if (in.readBoolean()) r.registerCommand = readBytes(in);
      RowKey key = new RowKey(user, member);
      if (s.rows.put(key, r) != null) throw new IOException("duplicate row");
      checkRow(key, r, verifier);
    }
    int m = in.readInt();
    if (m < 0 || m > MAX_ROWS) throw new IOException("bad registration count");
    for (int i = 0; i < m; i++) {
      String user = in.readUTF();
      long version = in.readLong();
      Registration g = new Registration();
      g.generation = in.readLong();
      if (g.generation < 1) throw new IOException("bad generation");
      RegKey key = new RegKey(user, version);
      g.resetProof = readSucceeds(in, verifier, key, g.generation - 1, null);
      int counted = in.readInt();
      if (counted < 0 || counted > LedgerCommand.MAX_GUESS_LIMIT)
        throw new IOException("bad counted set size");
      for (int k = 0; k < counted; k++) {
        byte[] env = readBytes(in);
        LedgerCommand a = verified(env, verifier);
        if (a.type() != CommandType.ATTEMPT
            || !a.user().equals(user)
            || a.version() != version
            || a.generation() != g.generation)
          throw new IOException(
              "counted id not backed by an ATTEMPT of this registration and generation");
        Counted c = new Counted(env);
        Id aid = new Id(a.attemptId());
        if (g.counted.put(aid, c) != null) throw new IOException("attempt id counted twice");
        int ev = in.readUnsignedShort();
        if (ev > 255) throw new IOException("bad evaluator count");
        for (int e = 0; e < ev; e++) {
          int member = in.readUnsignedByte();
          if (member < 1 || !c.evaluators.add(member))
            throw new IOException("bad or repeated evaluator");
        }
        if (!c.evaluators.contains(a.memberId()))
          throw new IOException("the member that counted an id is not among its evaluators");
        c.succeeders.putAll(readSucceeds(in, verifier, key, g.generation, aid));
        if (c.succeeders.size() >= verifier.threshold(a.epoch()))
          throw new IOException("an id with t successes was not reset");
      }
      if (g.generation == 1 && !g.resetProof.isEmpty())
        throw new IOException("reset proof at generation 1");
      if (g.generation > 1) checkResetProof(g.resetProof, verifier);
      if (s.regs.put(key, g) != null) throw new IOException("duplicate registration");
    }
    s.checkReferences();
    return s;
  }

  private static TreeMap<Integer, byte[]> readSucceeds(
      DataInput in, CommandVerifier verifier, RegKey key, long generation, Id aid)
      throws IOException {
    int n = in.readUnsignedShort();
    TreeMap<Integer, byte[]> out = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      byte[] env = readBytes(in);
      LedgerCommand c = verified(env, verifier);
      if (c.type() != CommandType.SUCCEED
          || !c.user().equals(key.user())
          || c.version() != key.version()
          || c.generation() != generation
          || (aid != null && !Arrays.equals(c.attemptId(), aid.id())))
        throw new IOException("SUCCEED does not match its registration, generation or attempt");
      if (out.put(c.memberId(), env) != null) throw new IOException("two SUCCEEDs of one member");
    }
    return out;
  }

  private static void checkResetProof(TreeMap<Integer, byte[]> proof, CommandVerifier verifier)
      throws IOException {
    byte[] id = null;
    long epoch = -1;
    for (byte[] env : proof.values()) {
      LedgerCommand c = LedgerCommand.parse(SignedCommand.decode(env).canonical());
      if (id == null) {
        id = c.attemptId();
        epoch = c.epoch();
      } else if (!Arrays.equals(id, c.attemptId())) {
        throw new IOException("reset proof names two attempts");
      }
    }
    if (id == null || proof.size() < verifier.threshold(epoch))
      throw new IOException("generation not backed by t successes");
  }

  private static LedgerCommand verified(byte[] envelope, CommandVerifier verifier)
      throws IOException {
    try {
      SignedCommand sc = SignedCommand.decode(envelope);
      byte[] canonical = sc.canonical();
      LedgerCommand c = LedgerCommand.parse(canonical);
      if (!verifier.verify(c.epoch(), c.memberId(), canonical, sc.signature()))
        throw new IOException("signature does not verify (member " + c.memberId() + ")");
      return c;
    } catch (IllegalArgumentException e) {
      throw new IOException("signed command does not parse", e);
    }
  }

  private static void checkRow(RowKey key, Row r, CommandVerifier verifier) throws IOException {
    LedgerCommand last = verified(r.lastCommand, verifier);
    if (!last.user().equals(key.user())
        || last.memberId() != key.member()
        || last.sequence() != r.sequence)
      throw new IOException("row not backed by its owner's latest command");
    // a row whose latest command is its REGISTER carries the same envelope twice: verifying the
    // same bytes
    // under the same key again cannot change the verdict, so it is parsed and verified once (this
    // halves
    // the start-up cost of installing a snapshot of freshly registered users)
    LedgerCommand reg =
        r.registerCommand == null
            ? null
            : Arrays.equals(r.registerCommand, r.lastCommand)
                ? last
                : verified(r.registerCommand, verifier);
    if (reg != null
        && (reg.type() != CommandType.REGISTER
            || !reg.user().equals(key.user())
            || reg.memberId() != key.member()
            || reg.version() != r.version
            || reg.guessLimit() != r.guessLimit
            || reg.sequence() > r.sequence))
      throw new IOException("row not backed by its owner's REGISTER");
    if (last.type() == CommandType.REGISTER
        && !Arrays.equals(last.canonicalBytes(), reg == null ? null : reg.canonicalBytes()))
      throw new IOException("latest REGISTER is not the row's registration");
    boolean ok =
        switch (r.state) {
          case NOT_REGISTERED ->
              reg == null
                  && r.version == 0
                  && r.digest.length == 0
                  && last.type() == CommandType.ATTEMPT;
          case REGISTERED ->
              reg != null
                  && Arrays.equals(r.digest, reg.recordDigest())
                  && last.type() != CommandType.DELETE;
          case NO_GUESSES ->
              reg != null && r.digest.length == 0 && last.type() == CommandType.ATTEMPT;
          case DELETED ->
              r.digest.length == 0
                  && last.type() == CommandType.DELETE
                  && (reg != null || r.version == 0);
        };
    if (!ok) throw new IOException("row state not backed by its signed commands");
  }

  private void checkReferences() throws IOException {
    for (Map.Entry<RegKey, Registration> e : regs.entrySet()) {
      int maxLimit = 0;
      for (Map.Entry<RowKey, Row> r :
          rows.subMap(
                  new RowKey(e.getKey().user(), 0), true, new RowKey(e.getKey().user(), 256), false)
              .entrySet())
        if (r.getValue().refersTo(e.getKey().version()))
          maxLimit = Math.max(maxLimit, r.getValue().guessLimit);
      if (maxLimit == 0) throw new IOException("registration no row refers to");
      if (e.getValue().counted.size() > maxLimit)
        throw new IOException("more ids counted than any limit allows");
    }
    for (Map.Entry<RowKey, Row> r : rows.entrySet())
      if (r.getValue().refersTo(r.getValue().version)
          && !regs.containsKey(new RegKey(r.getKey().user(), r.getValue().version)))
        throw new IOException("row without its registration");
  }

  /**
   * Whether installing this snapshot would lower anything {@code rows}/{@code regs} (the replica's
   * current state) holds.
   *
   * @return null if not, else the first contradiction found
   */
  String contradicts(TreeMap<RowKey, Row> curRows, TreeMap<RegKey, Registration> curRegs) {
    for (Map.Entry<RowKey, Row> e : curRows.entrySet()) {
      Row cur = e.getValue(), snap = rows.get(e.getKey());
      String at = "row of member " + e.getKey().member();
      if (snap == null) return at + " missing";
      if (snap.sequence < cur.sequence) return at + ": lower sequence";
      if (snap.version < cur.version) return at + ": lower version";
      if (snap.sequence == cur.sequence
          && (snap.state != cur.state
              || snap.version != cur.version
              || !Arrays.equals(snap.digest, cur.digest)
              || snap.guessLimit != cur.guessLimit))
        return at + ": other content at the same sequence";
      if (snap.version == cur.version) {
        if (snap.guessLimit != cur.guessLimit
            && cur.state != RowState.NOT_REGISTERED
            && cur.state != RowState.DELETED) return at + ": other limit at the same version";
        if (cur.state == RowState.NO_GUESSES
            && snap.state != RowState.NO_GUESSES
            && snap.state != RowState.DELETED)
          return at + ": back from NO_GUESSES at the same version";
        if (cur.state == RowState.DELETED && snap.state != RowState.DELETED)
          return at + ": back from DELETED at the same version";
      }
    }
    for (Map.Entry<RegKey, Registration> e : curRegs.entrySet()) {
      Registration cur = e.getValue(), snap = regs.get(e.getKey());
      if (snap == null) {
        for (Map.Entry<RowKey, Row> r :
            rows.subMap(
                    new RowKey(e.getKey().user(), 0),
                    true,
                    new RowKey(e.getKey().user(), 256),
                    false)
                .entrySet())
          if (r.getValue().refersTo(e.getKey().version()))
            return "registration dropped while rows refer to it";
        continue;
      }
      if (snap.generation < cur.generation) return "registration at a lower generation";
      if (snap.generation > cur.generation) continue;
      for (Map.Entry<Id, Counted> c : cur.counted.entrySet()) {
        Counted s = snap.counted.get(c.getKey());
        if (s == null) return "registration with fewer counted attempts in the same generation";
        if (!s.evaluators.containsAll(c.getValue().evaluators))
          return "registration with fewer evaluations of a counted attempt";
        if (!s.succeeders.keySet().containsAll(c.getValue().succeeders.keySet()))
          return "registration with fewer successes for a counted attempt";
      }
    }
    return null;
  }
}
