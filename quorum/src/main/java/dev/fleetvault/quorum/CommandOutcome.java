package dev.fleetvault.quorum;

import java.util.Objects;

/**
 * What THIS node's replica of the ledger computed when it applied one member command.
 *
 * @param row the member's row after the command (with its registration's counters)
 * @param allowed for {@code attempt}: true when the attempt id is counted in the registration's
 *     current generation (now, or already by another member or a retry); false when it was refused
 *     (row not registered, or no guesses left). For other commands: true.
 * @param destroyed true when this command destroyed the member's sealed record (limit reached or
 *     delete)
 * @param counterReset for {@code succeed}: true when this command completed {@code t} members'
 *     successes and the registration's generation advanced; else false
 * @param appliedIndex the Raft log index at which this replica applied the command (0 if unknown)
 */
public record CommandOutcome(
    RowView row, boolean allowed, boolean destroyed, boolean counterReset, long appliedIndex) {
  public CommandOutcome {
    Objects.requireNonNull(row, "row");
  }
}
