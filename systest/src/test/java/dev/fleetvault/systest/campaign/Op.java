package dev.fleetvault.systest.campaign;

/**
 * One client operation as the history records it.
 *
 * @param scenario the scenario it ran in
 * @param kind what was asked
 * @param user the user
 * @param version for a registration, the version it tried to store (1, 2, ...); for a recovery, 0
 * @param startNanos when the call started ({@link System#nanoTime()})
 * @param endNanos when it was answered, or when its deadline passed ({@link Outcome#UNANSWERED})
 * @param outcome how it was answered
 * @param guessesRemaining for {@link Outcome#WRONG_PIN}, what the fleet reported; else -1
 * @param recoveredVersion for {@link Outcome#RECOVERED}, the registration version whose secret came
 *     back, 0 if the secret matched none of the user's versions (a foreign or corrupt secret); else
 *     -1
 * @param detail the reason of an unavailable or error answer (never secret input)
 */
public record Op(
    String scenario,
    Kind kind,
    String user,
    int version,
    long startNanos,
    long endNanos,
    Outcome outcome,
    int guessesRemaining,
    int recoveredVersion,
    String detail) {

  /** What was asked. */
  public enum Kind {
    REGISTER,
    RECOVER_RIGHT_PIN,
    RECOVER_WRONG_PIN
  }

  /** How the fleet answered. */
  public enum Outcome {
    REGISTERED,
    RECOVERED,
    WRONG_PIN,
    NO_GUESSES,
    NOT_REGISTERED,
    /**
     * The SDK's Unavailable result: no majority answered. A clear answer, not an acknowledgement.
     */
    UNAVAILABLE,
    /** A FleetvaultException (refused, rate-limited, verification failed): a clear error. */
    ERROR,
    /** No answer within the operation's deadline. */
    UNANSWERED;

    /** The fleet acknowledged: it answered from its state. */
    public boolean acknowledged() {
      return this == REGISTERED
          || this == RECOVERED
          || this == WRONG_PIN
          || this == NO_GUESSES
          || this == NOT_REGISTERED;
    }
  }

  /** Milliseconds from start to answer. */
  public long millis() {
    return (endNanos - startNanos) / 1_000_000;
  }
}
