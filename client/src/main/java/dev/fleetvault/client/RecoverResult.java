package dev.fleetvault.client;

/**
 * The outcome of a recovery. Exactly one of five cases; callers branch with {@code instanceof}.
 *
 * <p>Guesses: a {@link WrongPin} spent one guess. The SDK asks for the guess only after a majority answered
 * the free phase 0, so an {@link Unavailable} from a fleet without a majority spent none; only when an edge
 * fails after the guess was sent may it have been counted (the reason then says so), and the SDK never sends
 * a second guess within one call.
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
     * No majority answered (or no edge could be reached).
     *
     * @param reason what failed, for logs and users; never contains secret input
     */
    record Unavailable(String reason) implements RecoverResult {
    }

    /**
     * Passkey entries: the members refused the assertion (another credential, rp id, origin, missing
     * user verification, ...; PROTOCOL.md 21.6). Nothing was counted.
     */
    record PasskeyRefused(int guessesRemaining) implements RecoverResult {
    }
}
