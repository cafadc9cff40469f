package dev.fleetvault.quorum.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInput;
import java.io.DataOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Message;
import org.jgroups.protocols.raft.AppendEntriesResponse;
import org.jgroups.protocols.raft.AppendResult;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;
import org.jgroups.raft.StateMachine;
import org.jgroups.stack.Protocol;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FleetFollower} against the AppendEntries rules, on a real {@link RocksDbLog}. The central
 * case is the one {@code CrashRestartTest} found on jgroups-raft 1.1.4's own follower: a follower
 * that restarted with a stale, never-committed suffix from a dead leader's term must neither apply
 * that suffix nor report it to the new leader as replicated.
 */
class FleetFollowerTest {
  @TempDir Path dir;

  private final List<String> applied = new ArrayList<>();
  private final Address leader = UUID.randomUUID();
  private Harness raft;
  private FleetFollower follower;

  /** FleetRaft wired to a log and a recording state machine, without a JGroups stack. */
  static final class Harness extends FleetRaft {
    void wire(RocksDbLog log, StateMachine sm, long term) {
      log_impl = log;
      last_appended = log.lastAppended();
      commit_index = log.commitIndex();
      setId(FLEET_RAFT_ID);
      raftId("A").members(List.of("A", "B", "C"));
      stateMachine(sm);
      currentTerm(term);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    RocksDbLog log = new RocksDbLog();
    log.init(dir.resolve("a.log").toString(), Map.of());
    raft = new Harness();
    raft.wire(log, new Recorder(), 1);
    follower = new FleetFollower(raft);
  }

  @AfterEach
  void tearDown() throws Exception {
    raft.log().close();
  }

  /**
   * Old leader (term 1) replicated 1..8 here; only 1..5 were committed and 6 reached the new
   * leader.
   */
  private void holdStaleSuffix() {
    ok(follower.handleAppendEntriesRequest(entries(1, 1, "old", 8), leader, 0, 0, 1, 5));
    assertThat(raft.commitIndex()).isEqualTo(5);
    assertThat(raft.lastAppended()).isEqualTo(8);
    raft.currentTerm(2);
  }

  @Test
  void append_staleSuffixBehindMatchingFirstEntry_replacedAndOnlyLeaderEntriesApplied() {
    holdStaleSuffix();
    // the new leader holds old-6 from term 1, then its own 7 and 8 from term 2
    LogEntries batch = new LogEntries().add(entry(1, "old6"), entry(2, "new7"), entry(2, "new8"));
    AppendResult r = follower.handleAppendEntriesRequest(batch, leader, 5, 1, 1, 8);
    assertThat(r.success()).isTrue();
    assertThat(r.index()).isEqualTo(8);
    assertThat(raft.commitIndex()).isEqualTo(8);
    assertThat(applied).endsWith("old5", "old6", "new7", "new8").doesNotContain("old7");
    assertThat(text(raft.log().get(8))).isEqualTo("new8");
  }

  @Test
  void commitOnly_beyondVerifiedIndex_commitsNothingUnverified() {
    holdStaleSuffix();
    AppendResult r = follower.handleAppendEntriesRequest(null, leader, 0, 0, 2, 8);
    assertThat(r.success()).isTrue();
    assertThat(r.index()).as("reports only what it verified, not its last index 8").isEqualTo(5);
    assertThat(raft.commitIndex()).isEqualTo(5);
    assertThat(applied).doesNotContain("old6", "old7", "old8");
  }

  @Test
  void append_shortBatchInsideStaleSuffix_commitsOnlyUpToBatchEnd() {
    holdStaleSuffix();
    // the leader re-sends only index 6 (which matches) with commit index 8
    AppendResult r =
        follower.handleAppendEntriesRequest(
            new LogEntries().add(entry(1, "old6")), leader, 5, 1, 1, 8);
    assertThat(r.success()).isTrue();
    assertThat(r.index()).isEqualTo(6);
    assertThat(raft.commitIndex()).as("7 and 8 are not verified against this leader").isEqualTo(6);
    assertThat(applied).doesNotContain("old7", "old8");
  }

  @Test
  void append_missingPreviousEntry_refusedWithVerifiedIndex() {
    holdStaleSuffix();
    AppendResult r =
        follower.handleAppendEntriesRequest(
            new LogEntries().add(entry(2, "x")), leader, 11, 2, 2, 11);
    assertThat(r.success()).isFalse();
    assertThat(r.index()).isEqualTo(5);
    assertThat(raft.lastAppended()).isEqualTo(8);
    assertThat(raft.commitIndex()).isEqualTo(5);
  }

  @Test
  void append_previousEntryWithOtherTerm_refusedAndLogUntouched() {
    holdStaleSuffix();
    AppendResult r =
        follower.handleAppendEntriesRequest(
            new LogEntries().add(entry(2, "new8")), leader, 7, 2, 2, 8);
    assertThat(r.success()).isFalse();
    assertThat(r.index()).isEqualTo(5);
    assertThat(text(raft.log().get(7))).isEqualTo("old7");
    assertThat(raft.commitIndex()).isEqualTo(5);
  }

  @Test
  void append_batchStartingBelowCommitIndex_skipsCommittedPrefixAndAppendsRest() {
    holdStaleSuffix();
    LogEntries batch = entries(1, 3, "old", 4); // old3..old6, 3..5 committed here
    batch.add(entry(2, "new7"));
    AppendResult r = follower.handleAppendEntriesRequest(batch, leader, 2, 1, 1, 7);
    assertThat(r.success()).isTrue();
    assertThat(r.index()).isEqualTo(7);
    assertThat(raft.lastAppended()).as("stale 8 deleted with stale 7").isEqualTo(7);
    assertThat(applied).endsWith("old6", "new7");
    assertThat(applied.stream().filter("old3"::equals).count())
        .as("nothing applied twice")
        .isEqualTo(1);
  }

  @Test
  void append_sameEntriesAgain_idempotent() {
    LogEntries batch = entries(1, 1, "a", 4);
    ok(follower.handleAppendEntriesRequest(batch, leader, 0, 0, 1, 2));
    AppendResult r = follower.handleAppendEntriesRequest(entries(1, 1, "a", 4), leader, 0, 0, 1, 4);
    assertThat(r.index()).isEqualTo(4);
    assertThat(raft.lastAppended()).isEqualTo(4);
    assertThat(applied).containsExactly("a1", "a2", "a3", "a4");
  }

  @Test
  void verifiedIndex_newTerm_resetsToCommitIndex() {
    ok(follower.handleAppendEntriesRequest(entries(1, 1, "a", 6), leader, 0, 0, 1, 3));
    assertThat(follower.verifiedIndex()).isEqualTo(6);
    raft.currentTerm(3);
    assertThat(follower.verifiedIndex()).isEqualTo(3);
  }

  @Test
  void installSnapshot_entriesAlreadyVerified_logKeptAndAnsweredWithVerifiedIndex() {
    List<Message> sent = new ArrayList<>();
    raft.setDownProtocol(
        new Protocol() {
          @Override
          public Object down(Message msg) {
            sent.add(msg);
            return null;
          }
        });
    ok(follower.handleAppendEntriesRequest(entries(1, 1, "a", 8), leader, 0, 0, 1, 3));
    follower.handleInstallSnapshotRequest(
        new BytesMessage(raft.getAddress(), new byte[0]), leader, 6, 1);
    assertThat(raft.lastAppended()).as("verified entries 7 and 8 are not cut").isEqualTo(8);
    assertThat(raft.commitIndex()).isEqualTo(6);
    assertThat(applied).containsExactly("a1", "a2", "a3", "a4", "a5", "a6");
    assertThat(sent).hasSize(1);
    AppendEntriesResponse ack = sent.get(0).getHeader(raft.getId());
    assertThat(ack.toString())
        .as("the header has no getter; its text carries the result")
        .contains("result: true, index=8, commit-index=6");
  }

  private static void ok(AppendResult r) {
    assertThat(r.success()).isTrue();
  }

  private static LogEntry entry(long term, String text) {
    return new LogEntry(term, text.getBytes(StandardCharsets.UTF_8));
  }

  private static LogEntries entries(long term, int first, String prefix, int n) {
    LogEntries es = new LogEntries();
    for (int i = 0; i < n; i++) es.add(entry(term, prefix + (first + i)));
    return es;
  }

  private static String text(LogEntry e) {
    return new String(e.command(), e.offset(), e.length(), StandardCharsets.UTF_8);
  }

  private final class Recorder implements StateMachine {
    @Override
    public byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
      applied.add(new String(data, offset, length, StandardCharsets.UTF_8));
      return null;
    }

    @Override
    public void readContentFrom(DataInput in) {}

    @Override
    public void writeContentTo(DataOutput out) {}
  }
}
