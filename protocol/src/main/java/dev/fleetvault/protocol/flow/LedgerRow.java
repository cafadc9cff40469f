package dev.fleetvault.protocol.flow;

import java.util.Arrays;
import java.util.Objects;

/**
 * What this member's own replica of the ledger says about (user, this member), as the gateway read
 * it ({@code readRow}) just before calling {@link MemberLogic}. The member logic uses it to decide
 * what to ask the ledger; it releases nothing on the strength of a row alone (evaluations and
 * shares need a {@link CommitWitness}).
 *
 * @param state the row's state
 * @param version the latest record version this member committed for the user (kept after deletion
 *     and destruction; 0 if never registered)
 * @param recordDigest SHA-256 of the member's record at {@code version} while REGISTERED (32
 *     bytes), else empty
 * @param generation the registration's current generation (&ge; 1 while REGISTERED, else 0)
 * @param guessesRemaining {@code max(0, L_i − |counted set|)} while REGISTERED, else 0
 */
public record LedgerRow(
    State state, long version, byte[] recordDigest, long generation, int guessesRemaining) {
  /** Row states. */
  public enum State {
    /** Never registered at this member. */
    ABSENT,
    /** A record is registered at {@code version}. */
    REGISTERED,
    /** Deleted by the user (app token). */
    DELETED,
    /** Destroyed because the guess limit was reached. */
    NO_GUESSES
  }

  public LedgerRow {
    Objects.requireNonNull(state, "state");
    recordDigest = Objects.requireNonNull(recordDigest, "recordDigest").clone();
    if (version < 0 || generation < 0 || guessesRemaining < 0) {
      throw new IllegalArgumentException("version, generation and guessesRemaining must be >= 0");
    }
    if (state == State.REGISTERED && (recordDigest.length != 32 || generation < 1 || version < 1)) {
      throw new IllegalArgumentException(
          "a REGISTERED row has version >= 1, a 32-byte digest and generation >= 1");
    }
  }

  /** The row of a user this member never saw. */
  public static LedgerRow absent() {
    return new LedgerRow(State.ABSENT, 0, new byte[0], 0, 0);
  }

  @Override
  public byte[] recordDigest() {
    return recordDigest.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LedgerRow r
        && r.state == state
        && r.version == version
        && Arrays.equals(r.recordDigest, recordDigest)
        && r.generation == generation
        && r.guessesRemaining == guessesRemaining;
  }

  @Override
  public int hashCode() {
    return Objects.hash(state, version, generation, guessesRemaining) * 31
        + Arrays.hashCode(recordDigest);
  }

  @Override
  public String toString() {
    return "LedgerRow["
        + state
        + " version="
        + version
        + " generation="
        + generation
        + " remaining="
        + guessesRemaining
        + "]";
  }
}
