package dev.fleetvault.client;

/**
 * The outcome of a recovery. Exactly one of five cases; callers branch with {@code instanceof}.
 *
 * <p>Guesses: a {@link WrongPin} spent one guess. The SDK asks for the guess only after a majority
 * answered the free phase 0, so an {@link Unavailable} from a fleet without a majority spent none;
 * when an edge fails after the guess was sent, {@link Unavailable#guess()} says whether a majority
 * of members counted it, and the SDK never sends a second guess within one call.
 */
public sealed interface RecoverResult {
  /** The PIN was right: here is the secret. The caller closes it when done. */
  record Recovered(BackupSecret secret) implements RecoverResult {}

  /**
   * The PIN was wrong.
   *
   * @param guessesRemaining the smallest count any member reported (honest members count in
   *     lockstep)
   */
  record WrongPin(int guessesRemaining) implements RecoverResult {}

  /** No guesses are left: the fleet destroyed the record. */
  record NoGuesses() implements RecoverResult {}

  /** The user has no record (never registered, or deleted). */
  record NotRegistered() implements RecoverResult {}

  /**
   * No majority answered (or no edge could be reached).
   *
   * <p>When the guess was sent and its answer was lost, the SDK asks the members with a later
   * (free) phase 0 whether they counted it (PROTOCOL.md 9.1a) and says what it learned in {@link
   * #guess()}: {@link Guess#COUNTED} or {@link Guess#NOT_COUNTED} only on the authenticated word of
   * a majority of members (an edge cannot forge either), with the guesses left; {@link
   * Guess#MAY_HAVE_BEEN_COUNTED} only if that stayed unknown after a bounded number of checks.
   *
   * @param reason what failed, for logs and users; never contains secret input
   * @param guess what happened to the guess
   * @param guessesRemaining the guesses left as a majority of members reported them with {@code
   *     COUNTED} or {@code NOT_COUNTED}; -1 otherwise
   */
  record Unavailable(String reason, Guess guess, int guessesRemaining) implements RecoverResult {
    /** Unavailable before the guess was sent: nothing was spent. */
    public Unavailable(String reason) {
      this(reason, Guess.NOT_SENT, -1);
    }

    public Unavailable {
      java.util.Objects.requireNonNull(guess, "guess");
    }
  }

  /** What happened to the guess of a recovery that ended {@link Unavailable}. */
  enum Guess {
    /** The guess was never sent: nothing was spent. */
    NOT_SENT,
    /**
     * A majority of members said the guess is not counted: no guess was spent (PROTOCOL.md 9.1a).
     */
    NOT_COUNTED,
    /** A majority of members said the guess is counted: one guess was spent. */
    COUNTED,
    /** The guess was sent and whether it was counted stayed unknown. */
    MAY_HAVE_BEEN_COUNTED
  }

  /**
   * Passkey entries: the members refused the assertion (another credential, rp id, origin, missing
   * user verification, ...; PROTOCOL.md 21.6). Nothing was counted.
   */
  record PasskeyRefused(int guessesRemaining) implements RecoverResult {}
}
