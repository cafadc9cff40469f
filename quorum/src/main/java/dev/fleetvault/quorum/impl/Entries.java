package dev.fleetvault.quorum.impl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Kinds of Raft log entries this ledger writes, and their encodings:
 * {@code 0 || term} (leader no-op), {@code 1 || SignedCommand envelope} (member command),
 * {@code 2 || member || u16 len || user || 16-byte nonce} (linearizable read).
 */
final class Entries {
    static final byte NOOP = 0;
    static final byte MEMBER_COMMAND = 1;
    static final byte READ = 2;

    private Entries() { }

    static byte[] noop(long term) {
        return ByteBuffer.allocate(9).put(NOOP).putLong(term).array();
    }

    static byte[] memberCommand(byte[] envelope) {
        return ByteBuffer.allocate(1 + envelope.length).put(MEMBER_COMMAND).put(envelope).array();
    }

    static byte[] read(String user, int member, byte[] nonce) {
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 1 + 2 + u.length + nonce.length).put(READ).put((byte) member)
                .putShort((short) u.length).put(u).put(nonce).array();
    }
}
