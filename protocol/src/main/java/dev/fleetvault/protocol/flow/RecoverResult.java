package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.secret.SecretBytes;
import java.util.Objects;

/**
 * The outcome of a recovery, as the protocol defines it. (The client SDK adds "Unavailable" for
 * fewer than t usable answers, which the flow reports as {@link InsufficientAnswersException}.)
 *
 * <h2>Guarantees</h2>
 *
 * {@link Recovered} holds the secret byte for byte in a wipeable holder and never prints it. {@link
 * WrongPin#guessesRemaining()} is the smallest count any member with a valid answer reported.
 */
public sealed interface RecoverResult
    permits RecoverResult.Recovered,
        RecoverResult.WrongPin,
        RecoverResult.NoGuesses,
        RecoverResult.NotRegistered,
        RecoverResult.PasskeyRefused {

  /** The PIN was right; here is the secret. The caller owns and should wipe it. */
  record Recovered(SecretBytes secret) implements RecoverResult {
    public Recovered {
      Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
      return "Recovered[" + secret.length() + " bytes]";
    }
  }

  /**
   * The PIN was wrong; {@code guessesRemaining} more attempts are allowed (0: the record is gone).
   */
  record WrongPin(int guessesRemaining) implements RecoverResult {
    public WrongPin {
      if (guessesRemaining < 0) {
        throw new IllegalArgumentException("guessesRemaining must be >= 0");
      }
    }
  }

  /** The guess limit was reached; the secret is destroyed for good. */
  record NoGuesses() implements RecoverResult {}

  /** No secret is registered for this user (or it was deleted). */
  record NotRegistered() implements RecoverResult {}

  /**
   * A passkey entry's members refused the assertion (PROTOCOL.md 21.6): nothing was counted; {@code
   * guessesRemaining} as the refusing members report it.
   */
  record PasskeyRefused(int guessesRemaining) implements RecoverResult {
    public PasskeyRefused {
      if (guessesRemaining < 0) {
        throw new IllegalArgumentException("guessesRemaining must be >= 0");
      }
    }
  }
}
