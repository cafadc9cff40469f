package dev.fleetvault.protocol.flow;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Proof that one of this member's own signed ledger commands was applied by this member's own
 * replica of the ledger, with the outcome that replica computed. The member core releases an
 * evaluation ({@code k_i·B}) or a masked share only against a witness that names exactly the
 * request it answers (member, ledger key, record version and digest, generation, attempt id).
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Witnesses are created only through the single {@link Mint} of the class loader. The quorum
 *       module claims it when it loads and creates witnesses only from its own state machine's
 *       applied state; any later {@link #claimMint()} fails, so no other code in the node can
 *       create one (a node whose quorum module lost the race refuses to start).
 *   <li>Immutable; byte arrays are copied in and out.
 *   <li>{@link #toString()} names no attempt id or digest bytes beyond a short prefix.
 * </ul>
 */
public final class CommitWitness {
  /** What the applied command decided. */
  public enum Kind {
    /**
     * An {@code attempt} was counted (or was already counted) within the fleet's limit: evaluate
     * it.
     */
    ATTEMPT_GRANTED,
    /** A {@code succeed} for a counted attempt was applied: release the masked share. */
    SUCCEEDED
  }

  private static final AtomicBoolean CLAIMED = new AtomicBoolean();

  private final Kind kind;
  private final int member;
  private final String ledgerKey;
  private final long version;
  private final byte[] recordDigest;
  private final long generation;
  private final byte[] attemptId;
  private final int guessesRemaining;
  private final boolean lastGuess;
  private final long appliedIndex;

  private CommitWitness(
      Kind kind,
      int member,
      String ledgerKey,
      long version,
      byte[] recordDigest,
      long generation,
      byte[] attemptId,
      int guessesRemaining,
      boolean lastGuess,
      long appliedIndex) {
    this.kind = Objects.requireNonNull(kind, "kind");
    if (member < 1 || member > 255) {
      throw new IllegalArgumentException("member must be 1..255");
    }
    this.member = member;
    this.ledgerKey = Objects.requireNonNull(ledgerKey, "ledgerKey");
    if (version < 1 || generation < 0 || guessesRemaining < 0) {
      throw new IllegalArgumentException("version >= 1, generation >= 0, guessesRemaining >= 0");
    }
    this.version = version;
    this.recordDigest = Objects.requireNonNull(recordDigest, "recordDigest").clone();
    this.generation = generation;
    this.attemptId = Objects.requireNonNull(attemptId, "attemptId").clone();
    if (this.recordDigest.length != 32 || this.attemptId.length != 32) {
      throw new IllegalArgumentException("recordDigest and attemptId must be 32 bytes");
    }
    this.guessesRemaining = guessesRemaining;
    this.lastGuess = lastGuess;
    this.appliedIndex = appliedIndex;
  }

  /**
   * Hands out the class loader's only {@link Mint}. The quorum module calls this once when it
   * loads; every later call throws.
   *
   * @throws IllegalStateException if the mint was already claimed
   */
  public static Mint claimMint() {
    if (!CLAIMED.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "the CommitWitness mint was already claimed: only the quorum module may create"
              + " commit witnesses, and it must be the first to load");
    }
    return new Mint();
  }

  /** Creates witnesses; exactly one instance exists per class loader (see {@link #claimMint()}). */
  public static final class Mint {
    private Mint() {}

    /** A witness of kind {@code kind} for the given applied outcome. */
    public CommitWitness witness(
        Kind kind,
        int member,
        String ledgerKey,
        long version,
        byte[] recordDigest,
        long generation,
        byte[] attemptId,
        int guessesRemaining,
        boolean lastGuess,
        long appliedIndex) {
      return new CommitWitness(
          kind,
          member,
          ledgerKey,
          version,
          recordDigest,
          generation,
          attemptId,
          guessesRemaining,
          lastGuess,
          appliedIndex);
    }
  }

  public Kind kind() {
    return kind;
  }

  /** The member whose own replica applied the command (and who signed it). */
  public int member() {
    return member;
  }

  /** The ledger key of the registration's user (see PROTOCOL.md "Ledger key"). */
  public String ledgerKey() {
    return ledgerKey;
  }

  /** The record version the command counted against. */
  public long version() {
    return version;
  }

  /** SHA-256 of the member's record at {@link #version()}, as the ledger holds it. */
  public byte[] recordDigest() {
    return recordDigest.clone();
  }

  /** The registration's generation the attempt was counted in. */
  public long generation() {
    return generation;
  }

  /** The fleet-wide attempt id. */
  public byte[] attemptId() {
    return attemptId.clone();
  }

  /** Guesses left for the registration after this command, as this replica counts them. */
  public int guessesRemaining() {
    return guessesRemaining;
  }

  /**
   * True when this attempt used the registration's last guess: the member's row moved to no-guesses
   * in the same command and its record was destroyed.
   */
  public boolean lastGuess() {
    return lastGuess;
  }

  /** The Raft log index at which this replica applied the command (diagnostics). */
  public long appliedIndex() {
    return appliedIndex;
  }

  /**
   * Whether this witness is of {@code kind} for exactly this member, ledger key, version, digest
   * and attempt.
   */
  public boolean covers(
      Kind kind,
      int member,
      String ledgerKey,
      long version,
      byte[] recordDigest,
      byte[] attemptId) {
    return this.kind == kind
        && this.member == member
        && this.ledgerKey.equals(ledgerKey)
        && this.version == version
        && java.security.MessageDigest.isEqual(this.recordDigest, recordDigest)
        && java.security.MessageDigest.isEqual(this.attemptId, attemptId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CommitWitness w
        && w.kind == kind
        && w.member == member
        && w.ledgerKey.equals(ledgerKey)
        && w.version == version
        && Arrays.equals(w.recordDigest, recordDigest)
        && w.generation == generation
        && Arrays.equals(w.attemptId, attemptId)
        && w.guessesRemaining == guessesRemaining
        && w.lastGuess == lastGuess
        && w.appliedIndex == appliedIndex;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, member, ledgerKey, version, generation, appliedIndex) * 31
        + Arrays.hashCode(attemptId);
  }

  @Override
  public String toString() {
    return "CommitWitness["
        + kind
        + " member="
        + member
        + " version="
        + version
        + " generation="
        + generation
        + " attempt="
        + HexFormat.of().formatHex(attemptId, 0, 4)
        + "… remaining="
        + guessesRemaining
        + (lastGuess ? " last" : "")
        + " index="
        + appliedIndex
        + "]";
  }
}
