package dev.fleetvault.quorum;

import dev.fleetvault.protocol.flow.CommitWitness;
import java.util.Objects;

/**
 * The member-level answer to {@link MemberLedger#succeed}: the member's own signed {@code SUCCEED}
 * was applied by THIS node's own replica for an attempt id counted in the registration's current
 * generation.
 *
 * <p>Guarantees: only ever returned inside a {@link LedgerResult.Committed}, built from the outcome
 * this node's own state machine computed when it applied the command (never from a forwarded
 * answer).
 *
 * @param witness proof of the applied command, of kind {@link CommitWitness.Kind#SUCCEEDED}
 * @param counterReset true when this command completed {@code t} members' successes for the
 *     attempt: the registration's generation advanced and its counted set was cleared
 * @param row the member's row after the command
 */
public record SucceedOutcome(CommitWitness witness, boolean counterReset, RowView row) {
  public SucceedOutcome {
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(row, "row");
  }
}
