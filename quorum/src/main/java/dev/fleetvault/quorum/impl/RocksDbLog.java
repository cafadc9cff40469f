package dev.fleetvault.quorum.impl;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;
import org.jgroups.Address;
import org.jgroups.protocols.raft.Log;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;
import org.jgroups.util.ByteArrayDataInputStream;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.jgroups.util.Util;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * jgroups-raft {@link Log} on RocksDB, selected with RAFT's {@code log_class}.
 *
 * <p>Guarantees: entries, term and vote are written with synchronous (fsync'd WAL) writes when
 * {@code useFsync(true)} (RAFT sets it from {@code log_use_fsync}); the commit index is written
 * through the same WAL without its own fsync (it only ever lags the entries it covers). A snapshot
 * given to {@link #setSnapshot} becomes durable together with the truncation ({@link #truncate}) or
 * reinitialisation ({@link #reinitializeTo}) that follows it, in one atomic batch, so a crash never
 * leaves a snapshot paired with a log that would replay entries it already contains. The current
 * term never decreases. The entry at {@code firstAppended()} is kept after truncation (RAFT reads
 * its term); after a snapshot, RAFT replays from {@code firstAppended()+1}.
 *
 * <p>Keys: {@code 'e' + index (8 bytes, big endian)} for entries, {@code 'm' + name} for metadata.
 */
public final class RocksDbLog implements Log {
  static {
    RocksDB.loadLibrary();
  }

  private static final byte[] K_TERM = meta("term");
  private static final byte[] K_VOTE = meta("vote");
  private static final byte[] K_COMMIT = meta("commit");
  private static final byte[] K_FIRST = meta("first");
  private static final byte[] K_SNAPSHOT = meta("snapshot");

  private Path dir;
  private Options options;
  private RocksDB db;
  private WriteOptions syncWrite;
  private WriteOptions asyncWrite;
  private boolean fsync = true;

  private volatile long currentTerm;
  private volatile Address votedFor;
  private volatile long commitIndex;
  private volatile long firstAppended;
  private volatile long lastAppended;
  private volatile long sizeInBytes;
  private byte[] pendingSnapshot;
  private final Object lock = new Object();

  @Override
  public void init(String logName, Map<String, String> args) throws Exception {
    dir = Path.of(logName);
    Files.createDirectories(dir);
    options = new Options().setCreateIfMissing(true).setParanoidChecks(true);
    db = RocksDB.open(options, dir.toString());
    syncWrite = new WriteOptions().setSync(true);
    asyncWrite = new WriteOptions().setSync(false);
    currentTerm = readLong(K_TERM);
    commitIndex = readLong(K_COMMIT);
    firstAppended = readLong(K_FIRST);
    byte[] v = db.get(K_VOTE);
    votedFor =
        v == null || v.length == 0 ? null : Util.readAddress(new ByteArrayDataInputStream(v));
    lastAppended = firstAppended;
    long bytes = 0;
    try (RocksIterator it = db.newIterator()) {
      it.seekForPrev(entryKey(Long.MAX_VALUE));
      if (it.isValid() && it.key()[0] == 'e')
        lastAppended = Math.max(firstAppended, indexOf(it.key()));
      for (it.seek(entryKey(0)); it.isValid() && it.key()[0] == 'e'; it.next())
        bytes += it.value().length;
    }
    sizeInBytes = bytes;
    if (commitIndex > lastAppended)
      throw new IllegalStateException(
          "raft log at "
              + dir
              + " is damaged: commit index "
              + commitIndex
              + " beyond last entry "
              + lastAppended);
  }

  @Override
  public Log useFsync(boolean f) {
    fsync = f;
    return this;
  }

  @Override
  public boolean useFsync() {
    return fsync;
  }

  private WriteOptions durable() {
    return fsync ? syncWrite : asyncWrite;
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (db != null) {
        db.close();
        db = null;
      }
      if (syncWrite != null) syncWrite.close();
      if (asyncWrite != null) asyncWrite.close();
      if (options != null) options.close();
    }
  }

  @Override
  public void delete() throws Exception {
    close();
    if (dir != null && Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Override
  public long currentTerm() {
    return currentTerm;
  }

  @Override
  public Log currentTerm(long newTerm) {
    synchronized (lock) {
      if (newTerm <= currentTerm) return this;
      put(K_TERM, longBytes(newTerm), durable());
      currentTerm = newTerm;
    }
    return this;
  }

  @Override
  public Address votedFor() {
    return votedFor;
  }

  @Override
  public Log votedFor(Address member) {
    synchronized (lock) {
      byte[] v = new byte[0];
      if (member != null) {
        try {
          ByteArrayDataOutputStream out = new ByteArrayDataOutputStream(64);
          Util.writeAddress(member, out);
          v =
              out.buffer().length == out.position()
                  ? out.buffer()
                  : java.util.Arrays.copyOf(out.buffer(), out.position());
        } catch (Exception e) {
          throw new IllegalStateException("cannot serialise vote", e);
        }
      }
      put(K_VOTE, v, durable());
      votedFor = member;
    }
    return this;
  }

  @Override
  public long commitIndex() {
    return commitIndex;
  }

  @Override
  public Log commitIndex(long newIndex) {
    synchronized (lock) {
      if (newIndex == commitIndex) return this;
      put(K_COMMIT, longBytes(newIndex), asyncWrite);
      commitIndex = newIndex;
    }
    return this;
  }

  @Override
  public long firstAppended() {
    return firstAppended;
  }

  @Override
  public long lastAppended() {
    return lastAppended;
  }

  @Override
  public void setSnapshot(ByteBuffer sn) {
    ByteBuffer d = sn.duplicate();
    byte[] b = new byte[d.remaining()];
    d.get(b);
    synchronized (lock) {
      pendingSnapshot = b;
    }
  }

  @Override
  public ByteBuffer getSnapshot() {
    synchronized (lock) {
      if (pendingSnapshot != null) return ByteBuffer.wrap(pendingSnapshot.clone());
      try {
        byte[] b = db.get(K_SNAPSHOT);
        return b == null ? null : ByteBuffer.wrap(b);
      } catch (RocksDBException e) {
        throw new IllegalStateException("cannot read snapshot", e);
      }
    }
  }

  @Override
  public long append(long index, LogEntries entries) {
    synchronized (lock) {
      try (WriteBatch batch = new WriteBatch()) {
        long i = index, maxTerm = currentTerm, bytes = 0;
        for (LogEntry e : entries) {
          byte[] v = encode(e);
          batch.put(entryKey(i++), v);
          bytes += v.length;
          maxTerm = Math.max(maxTerm, e.term());
        }
        if (maxTerm > currentTerm) batch.put(K_TERM, longBytes(maxTerm));
        db.write(durable(), batch);
        lastAppended = Math.max(lastAppended, i - 1);
        currentTerm = maxTerm;
        sizeInBytes += bytes;
      } catch (RocksDBException e) {
        throw new IllegalStateException("raft log append failed at " + index, e);
      }
      return lastAppended;
    }
  }

  @Override
  public LogEntry get(long index) {
    if (index <= 0) return null;
    try {
      RocksDB d = db;
      if (d == null) return null;
      byte[] v = d.get(entryKey(index));
      return v == null ? null : decode(v);
    } catch (RocksDBException e) {
      throw new IllegalStateException("raft log read failed at " + index, e);
    }
  }

  @Override
  public void truncate(long indexExclusive) {
    synchronized (lock) {
      long idx = Math.min(indexExclusive, commitIndex);
      if (idx < firstAppended) return;
      try (WriteBatch batch = new WriteBatch()) {
        if (idx > firstAppended) batch.deleteRange(entryKey(0), entryKey(idx));
        batch.put(K_FIRST, longBytes(idx));
        if (pendingSnapshot != null) batch.put(K_SNAPSHOT, pendingSnapshot);
        db.write(syncWrite, batch);
        pendingSnapshot = null;
        firstAppended = idx;
        if (lastAppended < idx) lastAppended = idx;
        recomputeSize();
        db.compactRange(entryKey(0), entryKey(idx));
      } catch (RocksDBException e) {
        throw new IllegalStateException("raft log truncate failed at " + indexExclusive, e);
      }
    }
  }

  @Override
  public void reinitializeTo(long index, LogEntry entry) throws Exception {
    synchronized (lock) {
      try (WriteBatch batch = new WriteBatch()) {
        batch.deleteRange(entryKey(0), entryKey(Long.MAX_VALUE));
        batch.put(entryKey(index), encode(entry));
        batch.put(K_FIRST, longBytes(index));
        batch.put(K_COMMIT, longBytes(index));
        long term = Math.max(currentTerm, entry.term());
        batch.put(K_TERM, longBytes(term));
        if (pendingSnapshot != null) batch.put(K_SNAPSHOT, pendingSnapshot);
        db.write(syncWrite, batch);
        pendingSnapshot = null;
        firstAppended = lastAppended = commitIndex = index;
        currentTerm = term;
        recomputeSize();
      }
    }
  }

  @Override
  public void deleteAllEntriesStartingFrom(long startIndex) {
    synchronized (lock) {
      if (startIndex > lastAppended) return;
      if (startIndex <= commitIndex)
        throw new IllegalStateException(
            "refusing to delete committed entries from "
                + startIndex
                + " (commit "
                + commitIndex
                + ")");
      try (WriteBatch batch = new WriteBatch()) {
        batch.deleteRange(entryKey(startIndex), entryKey(Long.MAX_VALUE));
        db.write(durable(), batch);
        lastAppended = Math.max(firstAppended, startIndex - 1);
        recomputeSize();
      } catch (RocksDBException e) {
        throw new IllegalStateException("raft log delete failed from " + startIndex, e);
      }
    }
  }

  @Override
  public void forEach(ObjLongConsumer<LogEntry> function, long startIndex, long endIndex) {
    long start = Math.max(Math.max(startIndex, firstAppended), 1),
        end = Math.min(endIndex, lastAppended);
    if (start > end) return;
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(ro)) {
      for (it.seek(entryKey(start)); it.isValid() && it.key()[0] == 'e'; it.next()) {
        long idx = indexOf(it.key());
        if (idx > end) break;
        function.accept(decode(it.value()), idx);
      }
    }
  }

  @Override
  public void forEach(ObjLongConsumer<LogEntry> function) {
    forEach(function, firstAppended, lastAppended);
  }

  @Override
  public long sizeInBytes() {
    return sizeInBytes;
  }

  private void recomputeSize() {
    long bytes = 0;
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(entryKey(0)); it.isValid() && it.key()[0] == 'e'; it.next())
        bytes += it.value().length;
    }
    sizeInBytes = bytes;
  }

  @Override
  public String toString() {
    return "RocksDbLog["
        + dir
        + " first="
        + firstAppended
        + " commit="
        + commitIndex
        + " last="
        + lastAppended
        + " term="
        + currentTerm
        + "]";
  }

  // --- encoding

  static byte[] encode(LogEntry e) {
    int len = e.command() == null ? 0 : e.length();
    ByteBuffer b = ByteBuffer.allocate(8 + 1 + 1 + 4 + len);
    b.putLong(e.term())
        .put((byte) (e.internal() ? 1 : 0))
        .put((byte) (e.command() == null ? 0 : 1))
        .putInt(len);
    if (len > 0) b.put(e.command(), e.offset(), len);
    return b.array();
  }

  static LogEntry decode(byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    long term = b.getLong();
    boolean internal = b.get() == 1;
    boolean hasCommand = b.get() == 1;
    int len = b.getInt();
    if (!hasCommand) return new LogEntry(term, null).internal(internal);
    byte[] cmd = new byte[len];
    b.get(cmd);
    return new LogEntry(term, cmd, 0, len, internal);
  }

  private static byte[] meta(String name) {
    byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] k = new byte[n.length + 1];
    k[0] = 'm';
    System.arraycopy(n, 0, k, 1, n.length);
    return k;
  }

  static byte[] entryKey(long index) {
    return ByteBuffer.allocate(9).put((byte) 'e').putLong(index).array();
  }

  private static long indexOf(byte[] key) {
    return ByteBuffer.wrap(key, 1, 8).getLong();
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private long readLong(byte[] key) throws RocksDBException {
    byte[] v = db.get(key);
    return v == null ? 0 : ByteBuffer.wrap(v).getLong();
  }

  private void put(byte[] k, byte[] v, WriteOptions wo) {
    try {
      db.put(wo, k, v);
    } catch (RocksDBException e) {
      throw new IllegalStateException("raft log metadata write failed", e);
    }
  }
}
