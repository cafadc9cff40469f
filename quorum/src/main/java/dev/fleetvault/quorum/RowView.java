package dev.fleetvault.quorum;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A copy of one member's ledger row for one user, as of a committed log position, with the counters
 * of the registration {@code (user, version)} the row belongs to.
 *
 * <p>Guarantees: immutable (byte arrays are copied in and out); {@link #guessesRemaining()} is
 * {@code max(0, guessLimit - fleetAttempts)} and is 0 unless the row is {@link
 * RowState#REGISTERED}.
 *
 * @param user user id (the ledger key)
 * @param memberId owning member
 * @param state row state
 * @param version record version (0 if never registered)
 * @param recordDigest SHA-256 digest of the member's sealed record for {@code version} (empty if
 *     none or destroyed)
 * @param guessLimit the guess limit this member registered
 * @param generation the registration's generation (starts at 1; advanced when {@code t} members'
 *     successes for one counted attempt are applied); 0 when the row belongs to no registration
 * @param fleetAttempts the number of distinct attempt ids counted on the registration in its
 *     current generation, over all members' rows
 * @param sequence the row's sequence number: the next command for this row must carry {@code
 *     sequence + 1}
 */
public record RowView(
    String user,
    int memberId,
    RowState state,
    long version,
    byte[] recordDigest,
    int guessLimit,
    long generation,
    int fleetAttempts,
    long sequence) {
  public RowView {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(state, "state");
    recordDigest = recordDigest.clone();
  }

  /** An empty, never-registered row. */
  public static RowView notRegistered(String user, int memberId) {
    return new RowView(user, memberId, RowState.NOT_REGISTERED, 0, new byte[0], 0, 0, 0, 0);
  }

  @Override
  public byte[] recordDigest() {
    return recordDigest.clone();
  }

  /** Guesses left: {@code guessLimit - fleetAttempts} for a registered row, else 0. */
  public int guessesRemaining() {
    return state == RowState.REGISTERED ? Math.max(0, guessLimit - fleetAttempts) : 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowView r
        && r.user.equals(user)
        && r.memberId == memberId
        && r.state == state
        && r.version == version
        && Arrays.equals(r.recordDigest, recordDigest)
        && r.guessLimit == guessLimit
        && r.generation == generation
        && r.fleetAttempts == fleetAttempts
        && r.sequence == sequence;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        user, memberId, state, version, guessLimit, generation, fleetAttempts, sequence);
  }

  @Override
  public String toString() {
    return "RowView[user="
        + user
        + ", member="
        + memberId
        + ", state="
        + state
        + ", version="
        + version
        + ", digest="
        + HexFormat.of().formatHex(recordDigest)
        + ", limit="
        + guessLimit
        + ", generation="
        + generation
        + ", fleetAttempts="
        + fleetAttempts
        + ", seq="
        + sequence
        + "]";
  }
}
