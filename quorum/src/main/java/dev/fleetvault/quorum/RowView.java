package dev.fleetvault.quorum;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A copy of one member's ledger row for one user, as of a committed log position.
 *
 * <p>Guarantees: immutable (byte arrays are copied in and out); {@link #guessesRemaining()} is
 * {@code max(0, guessLimit - attempts)} and is 0 unless the row is {@link RowState#REGISTERED}.
 *
 * @param user            user id
 * @param memberId        owning member
 * @param state           row state
 * @param version         record version (0 if never registered)
 * @param recordDigest    SHA-256 digest of the member's sealed record for {@code version} (empty if none)
 * @param guessLimit      the guess limit registered
 * @param attempts        attempts counted since the last registration or success
 * @param lastAttemptId   id of the latest counted attempt (empty if none)
 * @param sequence        the row's sequence number: the next command for this row must carry {@code sequence + 1}
 */
public record RowView(String user, int memberId, RowState state, long version, byte[] recordDigest, int guessLimit,
                      int attempts, byte[] lastAttemptId, long sequence) {
    public RowView {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(state, "state");
        recordDigest = recordDigest.clone();
        lastAttemptId = lastAttemptId.clone();
    }

    /** An empty, never-registered row. */
    public static RowView notRegistered(String user, int memberId) {
        return new RowView(user, memberId, RowState.NOT_REGISTERED, 0, new byte[0], 0, 0, new byte[0], 0);
    }

    @Override public byte[] recordDigest() { return recordDigest.clone(); }
    @Override public byte[] lastAttemptId() { return lastAttemptId.clone(); }

    /** Guesses left: {@code guessLimit - attempts} for a registered row, else 0. */
    public int guessesRemaining() {
        return state == RowState.REGISTERED ? Math.max(0, guessLimit - attempts) : 0;
    }

    @Override public boolean equals(Object o) {
        return o instanceof RowView r && r.user.equals(user) && r.memberId == memberId && r.state == state
                && r.version == version && Arrays.equals(r.recordDigest, recordDigest) && r.guessLimit == guessLimit
                && r.attempts == attempts && Arrays.equals(r.lastAttemptId, lastAttemptId) && r.sequence == sequence;
    }

    @Override public int hashCode() {
        return Objects.hash(user, memberId, state, version, guessLimit, attempts, sequence);
    }

    @Override public String toString() {
        return "RowView[user=" + user + ", member=" + memberId + ", state=" + state + ", version=" + version
                + ", digest=" + HexFormat.of().formatHex(recordDigest) + ", limit=" + guessLimit + ", attempts=" + attempts
                + ", seq=" + sequence + "]";
    }
}
