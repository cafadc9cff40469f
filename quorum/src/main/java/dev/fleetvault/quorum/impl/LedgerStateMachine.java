package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.CommandType;
import dev.fleetvault.quorum.LedgerCommand;
import dev.fleetvault.quorum.RejectReason;
import dev.fleetvault.quorum.RowState;
import dev.fleetvault.quorum.RowView;
import dev.fleetvault.quorum.SignedCommand;
import org.jgroups.raft.StateMachine;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ledger's deterministic state machine: one row per {@code (user, member)}, changed only by
 * commands signed by that member.
 *
 * <p>Contracts (as jgroups-raft's {@link StateMachine} asks):
 * <ul>
 *   <li><b>Deterministic</b>: {@code apply} reads no clock, no randomness, no local configuration but
 *       the fleet's member keys (identical on every replica); iteration orders are fixed (sorted rows,
 *       insertion-ordered request caches), so every replica computes the same state and answers.</li>
 *   <li><b>Single-threaded</b>: RAFT calls {@code apply}, {@code readContentFrom} and
 *       {@code writeContentTo} from its one runner thread; methods are also synchronized so that
 *       status reads from other threads see a consistent state.</li>
 *   <li><b>Failures are values</b>: nothing is thrown from {@code apply} (an exception would stall the
 *       commit index); every refusal is an encoded {@code REJECTED} answer and leaves the state as it
 *       was.</li>
 * </ul>
 *
 * <p>Order of checks for a member command: strict parse; known epoch and member; signature under that
 * member's key; request id already applied on this row (answer again, idempotence); sequence number
 * exactly row sequence + 1 (replay protection); then the command's own rules. Only an applied command
 * advances the row's sequence and is remembered (last {@value #RECENT} request ids per row).
 */
public final class LedgerStateMachine implements StateMachine {
    /** Request ids remembered per row for idempotent answers. */
    static final int RECENT = 8;
    private static final int SNAPSHOT_FORMAT = 1;

    private final CommandVerifier verifier;
    private final TreeMap<RowKey, Row> rows = new TreeMap<>();
    private long applied;

    public LedgerStateMachine(CommandVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public synchronized byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
        applied++;
        try {
            if (length < 1) return Results.rejected(RejectReason.MALFORMED, "empty entry");
            return switch (data[offset]) {
                case Entries.NOOP -> new byte[] {Results.OK};
                case Entries.MEMBER_COMMAND -> applyMemberCommand(data, offset + 1, length - 1);
                case Entries.READ -> applyRead(data, offset + 1, length - 1);
                default -> Results.rejected(RejectReason.MALFORMED, "unknown entry kind");
            };
        } catch (RuntimeException e) {
            return Results.rejected(RejectReason.MALFORMED, "malformed entry");
        }
    }

    private byte[] applyRead(byte[] data, int off, int len) {
        ByteBuffer b = ByteBuffer.wrap(data, off, len);
        int member = b.get() & 0xff;
        byte[] u = new byte[b.getShort() & 0xffff];
        b.get(u);
        String user = new String(u, StandardCharsets.UTF_8);
        Row row = rows.get(new RowKey(user, member));
        RowView view = row == null ? RowView.notRegistered(user, member) : row.view(user, member);
        return Results.ok(view, true, false);
    }

    private byte[] applyMemberCommand(byte[] data, int off, int len) {
        SignedCommand sc;
        LedgerCommand c;
        byte[] canonical;
        try {
            sc = SignedCommand.decode(data, off, len);
            canonical = sc.canonical();
            c = LedgerCommand.parse(canonical);
        } catch (IllegalArgumentException e) {
            return Results.rejected(RejectReason.MALFORMED, "command does not parse");
        }
        if (!verifier.knowsEpoch(c.epoch())) return Results.rejected(RejectReason.UNKNOWN_EPOCH, "epoch " + c.epoch());
        if (!verifier.knowsMember(c.epoch(), c.memberId()))
            return Results.rejected(RejectReason.UNKNOWN_MEMBER, "member " + c.memberId());
        if (!verifier.verify(c.epoch(), c.memberId(), canonical, sc.signature()))
            return Results.rejected(RejectReason.BAD_SIGNATURE, "signature does not verify for member " + c.memberId());

        RowKey key = new RowKey(c.user(), c.memberId());
        Row row = rows.get(key);
        if (row == null) row = new Row();
        byte[] rid = c.requestId();
        byte[] cached = row.recent.get(new Rid(rid));
        if (cached != null) return cached.clone();
        if (c.sequence() != row.sequence + 1)
            return Results.rejected(RejectReason.STALE_SEQUENCE, "row sequence is " + row.sequence);

        boolean allowed = true, destroyed = false;
        switch (c.type()) {
            case REGISTER -> {
                if (c.version() <= row.version)
                    return Results.rejected(RejectReason.VERSION_NOT_NEWER, "row version is " + row.version);
                row.state = RowState.REGISTERED;
                row.version = c.version();
                row.digest = c.recordDigest();
                row.guessLimit = c.guessLimit();
                row.attempts = 0;
                row.lastAttemptId = new byte[0];
            }
            case ATTEMPT -> {
                byte[] aid = c.attemptId();
                if (row.state != RowState.REGISTERED) {
                    allowed = false;
                } else if (row.lastAttemptId.length > 0 && Arrays.equals(aid, row.lastAttemptId)) {
                    allowed = true; // the latest counted attempt again: answered, not counted twice
                } else {
                    row.attempts++;
                    row.lastAttemptId = aid;
                    if (row.attempts >= row.guessLimit) {
                        row.state = RowState.NO_GUESSES;
                        row.digest = new byte[0];
                        destroyed = true;
                    }
                }
            }
            case SUCCEED -> {
                if (row.state != RowState.REGISTERED)
                    return Results.rejected(RejectReason.NOT_REGISTERED, "row is " + row.state);
                if (row.lastAttemptId.length == 0 || !Arrays.equals(c.attemptId(), row.lastAttemptId))
                    return Results.rejected(RejectReason.NOT_COUNTED, "not the latest counted attempt");
                row.attempts = 0;
                row.lastAttemptId = new byte[0];
            }
            case DELETE -> {
                destroyed = row.state == RowState.REGISTERED;
                row.state = RowState.DELETED;
                row.digest = new byte[0];
                row.attempts = 0;
                row.lastAttemptId = new byte[0];
            }
        }
        row.sequence = c.sequence();
        byte[] answer = Results.ok(row.view(c.user(), c.memberId()), allowed, destroyed);
        row.remember(rid, answer);
        rows.put(key, row);
        return answer.clone();
    }

    /** The row as of the last applied entry (a local, possibly stale copy: for diagnostics and tests). */
    public synchronized RowView localRow(String user, int member) {
        Row row = rows.get(new RowKey(user, member));
        return row == null ? RowView.notRegistered(user, member) : row.view(user, member);
    }

    /** Local copies of member {@code member}'s rows that are in one of {@code states} (possibly stale; for housekeeping). */
    public synchronized java.util.List<RowView> rowsOf(int member, java.util.Set<RowState> states) {
        java.util.List<RowView> out = new java.util.ArrayList<>();
        for (Map.Entry<RowKey, Row> e : rows.entrySet())
            if (e.getKey().member == member && states.contains(e.getValue().state)) out.add(e.getValue().view(e.getKey().user, member));
        return out;
    }

    /** Number of entries applied since this instance was created (including replays at start-up). */
    public synchronized long appliedCount() {
        return applied;
    }

    /** Number of rows. */
    public synchronized int rowCount() {
        return rows.size();
    }

    /** SHA-256 of the serialised state: equal on replicas that applied the same log prefix. */
    public synchronized byte[] stateDigest() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            writeContentTo(out);
            out.flush();
            return MessageDigest.getInstance("SHA-256").digest(bos.toByteArray());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void writeContentTo(DataOutput out) throws IOException {
        out.writeInt(SNAPSHOT_FORMAT);
        out.writeInt(rows.size());
        for (Map.Entry<RowKey, Row> e : rows.entrySet()) {
            out.writeUTF(e.getKey().user);
            out.writeByte(e.getKey().member);
            e.getValue().writeTo(out);
        }
    }

    @Override
    public synchronized void readContentFrom(DataInput in) throws IOException {
        int format = in.readInt();
        if (format != SNAPSHOT_FORMAT) throw new IOException("unknown ledger snapshot format " + format);
        rows.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String user = in.readUTF();
            int member = in.readUnsignedByte();
            rows.put(new RowKey(user, member), Row.readFrom(in));
        }
    }

    record RowKey(String user, int member) implements Comparable<RowKey> {
        @Override public int compareTo(RowKey o) {
            int c = user.compareTo(o.user);
            return c != 0 ? c : Integer.compare(member, o.member);
        }
    }

    private record Rid(byte[] id) {
        @Override public boolean equals(Object o) { return o instanceof Rid r && Arrays.equals(r.id, id); }
        @Override public int hashCode() { return Arrays.hashCode(id); }
    }

    private static final class Row {
        RowState state = RowState.NOT_REGISTERED;
        long version;
        byte[] digest = new byte[0];
        int guessLimit;
        int attempts;
        byte[] lastAttemptId = new byte[0];
        long sequence;
        final LinkedHashMap<Rid, byte[]> recent = new LinkedHashMap<>();

        RowView view(String user, int member) {
            return new RowView(user, member, state, version, digest, guessLimit, 1, attempts, sequence);
        }

        void remember(byte[] rid, byte[] answer) {
            recent.put(new Rid(rid.clone()), answer.clone());
            Iterator<Rid> it = recent.keySet().iterator();
            while (recent.size() > RECENT) {
                it.next();
                it.remove();
            }
        }

        void writeTo(DataOutput out) throws IOException {
            out.writeByte(state.ordinal());
            out.writeLong(version);
            writeBytes(out, digest);
            out.writeShort(guessLimit);
            out.writeShort(attempts);
            writeBytes(out, lastAttemptId);
            out.writeLong(sequence);
            out.writeByte(recent.size());
            for (Map.Entry<Rid, byte[]> e : recent.entrySet()) {
                writeBytes(out, e.getKey().id);
                out.writeShort(e.getValue().length);
                out.write(e.getValue());
            }
        }

        static Row readFrom(DataInput in) throws IOException {
            Row r = new Row();
            r.state = RowState.values()[in.readUnsignedByte()];
            r.version = in.readLong();
            r.digest = readBytes(in);
            r.guessLimit = in.readUnsignedShort();
            r.attempts = in.readUnsignedShort();
            r.lastAttemptId = readBytes(in);
            r.sequence = in.readLong();
            int n = in.readUnsignedByte();
            for (int i = 0; i < n; i++) {
                byte[] id = readBytes(in);
                byte[] answer = new byte[in.readUnsignedShort()];
                in.readFully(answer);
                r.recent.put(new Rid(id), answer);
            }
            return r;
        }

        private static void writeBytes(DataOutput out, byte[] b) throws IOException {
            out.writeByte(b.length);
            out.write(b);
        }

        private static byte[] readBytes(DataInput in) throws IOException {
            byte[] b = new byte[in.readUnsignedByte()];
            in.readFully(b);
            return b;
        }
    }

    static DataInputStream input(byte[] b) {
        return new DataInputStream(new java.io.ByteArrayInputStream(b));
    }
}
