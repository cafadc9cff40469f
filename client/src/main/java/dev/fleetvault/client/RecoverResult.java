package dev.fleetvault.client;

/**
 * The outcome of a recovery. Exactly one of five cases; callers branch with {@code instanceof}.
 *
 * <p>Guesses: a {@link WrongPin} spent one guess; {@link Unavailable} spent none (the SDK asks for the
 * guess only after a majority answered the free phase, and a member counts a guess only once a majority
 * committed it).
 */
public sealed interface RecoverResult {
    /** The PIN was right: here is the secret. The caller closes it when done. */
    record Recovered(BackupSecret secret) implements RecoverResult {
    }

    /**
     * The PIN was wrong.
     *
     * @param guessesRemaining the smallest count any member reported (honest members count in lockstep)
     */
    record WrongPin(int guessesRemaining) implements RecoverResult {
    }

    /** No guesses are left: the fleet destroyed the record. */
    record NoGuesses() implements RecoverResult {
    }

    /** The user has no record (never registered, or deleted). */
    record NotRegistered() implements RecoverResult {
    }

    /**
     * No majority answered (or no edge could be reached). No guess was spent by this call.
     *
     * @param reason what failed, for logs and users; never contains secret input
     */
    record Unavailable(String reason) implements RecoverResult {
    }
}
