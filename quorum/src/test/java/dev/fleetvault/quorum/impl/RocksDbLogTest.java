package dev.fleetvault.quorum.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB Raft log keeps everything across close/reopen, including after snapshot installs. */
class RocksDbLogTest {
  @TempDir Path dir;

  private RocksDbLog open() throws Exception {
    RocksDbLog log = new RocksDbLog();
    log.init(dir.resolve("m1.log").toString(), Map.of());
    log.useFsync(true);
    return log;
  }

  private static LogEntries entries(long term, int n, String prefix) {
    LogEntries es = new LogEntries();
    for (int i = 0; i < n; i++)
      es.add(new LogEntry(term, (prefix + i).getBytes(StandardCharsets.UTF_8)));
    return es;
  }

  private static String text(LogEntry e) {
    return new String(e.command(), e.offset(), e.length(), StandardCharsets.UTF_8);
  }

  @Test
  void appendAndReopen_entriesTermVoteCommit_survive() throws Exception {
    try (RocksDbLog log = open()) {
      assertThat(log.append(1, entries(1, 5, "a"))).isEqualTo(5);
      log.currentTerm(2).votedFor(UUID.randomUUID());
      log.commitIndex(4);
    }
    try (RocksDbLog log = open()) {
      assertThat(log.lastAppended()).isEqualTo(5);
      assertThat(log.firstAppended()).isZero();
      assertThat(log.commitIndex()).isEqualTo(4);
      assertThat(log.currentTerm()).isEqualTo(2);
      assertThat(log.votedFor()).isNotNull();
      assertThat(text(log.get(3))).isEqualTo("a2");
      assertThat(log.get(6)).isNull();
      assertThat(log.size()).isEqualTo(5);
    }
  }

  @Test
  void truncateWithSnapshot_reopen_snapshotAndTailKept() throws Exception {
    try (RocksDbLog log = open()) {
      log.append(1, entries(1, 10, "a"));
      log.commitIndex(8);
      log.setSnapshot(ByteBuffer.wrap("state@8".getBytes(StandardCharsets.UTF_8)));
      log.truncate(100); // clamped to the commit index
    }
    try (RocksDbLog log = open()) {
      assertThat(log.firstAppended()).isEqualTo(8);
      assertThat(log.get(7)).isNull();
      assertThat(text(log.get(8))).isEqualTo("a7");
      assertThat(log.lastAppended()).isEqualTo(10);
      assertThat(new String(toBytes(log.getSnapshot()), StandardCharsets.UTF_8))
          .isEqualTo("state@8");
      List<Long> seen = new ArrayList<>();
      log.forEach((e, i) -> seen.add(i));
      assertThat(seen).containsExactly(8L, 9L, 10L);
    }
  }

  /**
   * The sequence that breaks FileBasedLog 1.1.4: snapshot installed on a follower, more appends,
   * restart.
   */
  @Test
  void reinitializeToThenAppend_reopen_fullLogKept() throws Exception {
    try (RocksDbLog log = open()) {
      log.append(1, entries(1, 3, "old"));
      log.commitIndex(2);
      log.setSnapshot(ByteBuffer.wrap("leader-state@9000".getBytes(StandardCharsets.UTF_8)));
      log.reinitializeTo(9000, new LogEntry(3, null));
      log.append(9001, entries(3, 50, "new"));
      log.commitIndex(9040);
    }
    try (RocksDbLog log = open()) {
      assertThat(log.firstAppended()).isEqualTo(9000);
      assertThat(log.lastAppended()).isEqualTo(9050);
      assertThat(log.commitIndex()).isEqualTo(9040);
      assertThat(log.currentTerm()).isEqualTo(3);
      assertThat(log.get(9000).term()).isEqualTo(3);
      assertThat(log.get(2)).isNull();
      assertThat(text(log.get(9050))).isEqualTo("new49");
      assertThat(new String(toBytes(log.getSnapshot()), StandardCharsets.UTF_8))
          .isEqualTo("leader-state@9000");
    }
  }

  @Test
  void deleteUncommittedTail_reopen_termNeverDecreases() throws Exception {
    try (RocksDbLog log = open()) {
      log.append(1, entries(1, 3, "a"));
      log.append(4, entries(2, 3, "b"));
      log.commitIndex(3);
      log.deleteAllEntriesStartingFrom(4);
      assertThat(log.lastAppended()).isEqualTo(3);
    }
    try (RocksDbLog log = open()) {
      assertThat(log.lastAppended()).isEqualTo(3);
      assertThat(log.currentTerm()).isEqualTo(2);
      log.currentTerm(1);
      assertThat(log.currentTerm()).isEqualTo(2);
    }
  }

  @Test
  void setSnapshotWithoutTruncate_crash_oldSnapshotStays() throws Exception {
    try (RocksDbLog log = open()) {
      log.append(1, entries(1, 4, "a"));
      log.commitIndex(4);
      log.setSnapshot(ByteBuffer.wrap("s1".getBytes(StandardCharsets.UTF_8)));
      log.truncate(2);
      log.setSnapshot(ByteBuffer.wrap("s2-not-paired".getBytes(StandardCharsets.UTF_8)));
      // "crash" before the truncation that would pair s2 with the log
    }
    try (RocksDbLog log = open()) {
      assertThat(new String(toBytes(log.getSnapshot()), StandardCharsets.UTF_8)).isEqualTo("s1");
      assertThat(log.firstAppended()).isEqualTo(2);
    }
  }

  private static byte[] toBytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] r = new byte[d.remaining()];
    d.get(r);
    return r;
  }
}
