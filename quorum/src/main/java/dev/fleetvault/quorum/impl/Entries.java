package dev.fleetvault.quorum.impl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Kinds of Raft log entries this ledger writes, and their encodings: {@code 0 || term} (leader
 * no-op), {@code 1 || SignedCommand envelope} (member command), {@code 2 || member || u16 len ||
 * user || 16-byte nonce} (linearizable read), {@code 3 || u16 count || (u32 len || entry){count}}
 * (a batch: {@code count >= 1} member commands and reads, applied one after the other exactly as if
 * each were its own log entry; never nested, nothing after the last).
 */
final class Entries {
  static final byte NOOP = 0;
  static final byte MEMBER_COMMAND = 1;
  static final byte READ = 2;
  static final byte BATCH = 3;

  /** Most entries in one batch. */
  static final int MAX_BATCH = 1024;

  private Entries() {}

  static byte[] noop(long term) {
    return ByteBuffer.allocate(9).put(NOOP).putLong(term).array();
  }

  static byte[] memberCommand(byte[] envelope) {
    return ByteBuffer.allocate(1 + envelope.length).put(MEMBER_COMMAND).put(envelope).array();
  }

  static byte[] read(String user, int member, byte[] nonce) {
    byte[] u = user.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + 1 + 2 + u.length + nonce.length)
        .put(READ)
        .put((byte) member)
        .putShort((short) u.length)
        .put(u)
        .put(nonce)
        .array();
  }

  /** One batch entry holding {@code entries} (each a member command or a read), in this order. */
  static byte[] batch(java.util.List<byte[]> entries) {
    if (entries.isEmpty() || entries.size() > MAX_BATCH)
      throw new IllegalArgumentException("batch of " + entries.size());
    int n = 1 + 2;
    for (byte[] e : entries) n += 4 + e.length;
    ByteBuffer b = ByteBuffer.allocate(n).put(BATCH).putShort((short) entries.size());
    for (byte[] e : entries) {
      if (e.length < 1 || (e[0] != MEMBER_COMMAND && e[0] != READ))
        throw new IllegalArgumentException("not batchable");
      b.putInt(e.length).put(e);
    }
    return b.array();
  }

  /**
   * The entries of a batch entry (strict: kind byte {@link #BATCH}, 1..{@link #MAX_BATCH} entries,
   * each a member command or a read, lengths exactly filling the entry).
   *
   * @throws IllegalArgumentException when it is not such a batch
   */
  static java.util.List<byte[]> unbatch(byte[] data, int off, int len) {
    ByteBuffer b = ByteBuffer.wrap(data, off, len);
    if (len < 3 || b.get() != BATCH) throw new IllegalArgumentException("not a batch");
    int count = b.getShort() & 0xffff;
    if (count < 1 || count > MAX_BATCH) throw new IllegalArgumentException("batch count " + count);
    java.util.List<byte[]> out = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (b.remaining() < 4) throw new IllegalArgumentException("batch truncated");
      int l = b.getInt();
      if (l < 1 || l > b.remaining()) throw new IllegalArgumentException("batch entry length " + l);
      byte[] e = new byte[l];
      b.get(e);
      if (e[0] != MEMBER_COMMAND && e[0] != READ)
        throw new IllegalArgumentException("batch entry kind " + e[0]);
      out.add(e);
    }
    if (b.hasRemaining()) throw new IllegalArgumentException("bytes after the batch");
    return out;
  }
}
