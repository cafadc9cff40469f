package dev.fleetvault.client;

/** The outcome of a registration. */
public sealed interface RegisterResult {
  /**
   * A majority of members committed the new record; earlier records of the user are replaced.
   *
   * @param guessLimit the number of wrong guesses allowed before the record is destroyed
   */
  record Registered(int guessLimit) implements RegisterResult {}

  /**
   * No majority committed the registration (or no edge could be reached). Registering again is
   * safe.
   *
   * @param reason what failed; never contains secret input
   */
  record Unavailable(String reason) implements RegisterResult {}

  /**
   * {@link FleetvaultClient#addPasskey}: the PIN did not unlock the existing backup, so no passkey
   * was added.
   *
   * @param recovery what the PIN recovery answered (never {@link RecoverResult.Recovered})
   */
  record NotUnlocked(RecoverResult recovery) implements RegisterResult {}
}
