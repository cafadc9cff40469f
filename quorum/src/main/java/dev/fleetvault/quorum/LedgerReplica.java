package dev.fleetvault.quorum;

import dev.fleetvault.quorum.impl.CommandVerifier;
import dev.fleetvault.quorum.impl.LedgerStateMachine;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * One ledger replica's state machine outside a running fleet, for tools that measure or replay the
 * ledger (the scale benchmark, offline checks): the very state machine a member's Raft log applies,
 * fed log entries directly (a member command's entry is the byte 1 followed by its encoded {@link
 * SignedCommand}).
 *
 * <p>Guarantees: the same rules as a member (it is that state machine, not a copy): every command's
 * signatures are verified against the member keys of the one epoch given, and a command that breaks
 * a rule changes nothing; a snapshot read with {@link #readSnapshot} is verified entirely before it
 * replaces the state (on failure the state is unchanged); two replicas that applied the same
 * entries write byte-identical snapshots. Thread-safe (every call is serialised, as on a member).
 */
public final class LedgerReplica {
  private final LedgerStateMachine machine;

  private LedgerReplica(LedgerStateMachine machine) {
    this.machine = machine;
  }

  /** An empty replica that accepts commands signed by {@code members}' keys in {@code epoch}. */
  public static LedgerReplica forEpoch(long epoch, List<QuorumMember> members) {
    return new LedgerReplica(new LedgerStateMachine(CommandVerifier.forEpoch(epoch, members)));
  }

  /**
   * Applies one log entry (for a member command: the byte 1, then the encoded {@link
   * SignedCommand}) and returns the replica's serialized answer, as a member would send it back to
   * the command's proposer: its first byte is 0 when the command was applied. Nothing is thrown: a
   * malformed or refused entry is an encoded refusal and leaves the state as it was.
   */
  public byte[] apply(byte[] entry) {
    return machine.apply(entry, 0, entry.length, true);
  }

  /** Number of ledger rows held. */
  public int rowCount() {
    return machine.rowCount();
  }

  /** Number of registrations held. */
  public int registrationCount() {
    return machine.registrationCount();
  }

  /** Writes the whole state, as a member's snapshot. */
  public void writeSnapshot(DataOutput out) throws IOException {
    machine.writeContentTo(out);
  }

  /**
   * Replaces the state with a snapshot after verifying every signature and rule in it.
   *
   * @throws IOException (state unchanged) if the snapshot is malformed, unverifiable or would lower
   *     a row
   */
  public void readSnapshot(DataInput in) throws IOException {
    machine.readContentFrom(in);
  }
}
