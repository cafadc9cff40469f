package dev.fleetvault.quorum;

import java.util.Objects;

/**
 * What the ledger's state machine returned for one applied member command.
 *
 * @param row     the member's row after the command
 * @param allowed for {@code attempt}: true when this attempt was counted within the limit (or is the
 *                same attempt id as the latest counted one, which is answered again without counting);
 *                false when it was refused because no guesses are left or the row is not registered.
 *                For other commands: true.
 * @param destroyed true when this command destroyed the member's sealed record (limit reached or delete)
 */
public record CommandOutcome(RowView row, boolean allowed, boolean destroyed) {
    public CommandOutcome {
        Objects.requireNonNull(row, "row");
    }
}
