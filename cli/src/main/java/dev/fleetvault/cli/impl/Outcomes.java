package dev.fleetvault.cli.impl;

import dev.fleetvault.cli.ExitCodes;
import dev.fleetvault.cli.Io;

/** Prints the standard-error line of a non-success outcome and returns its exit code. */
public final class Outcomes {
  private Outcomes() {}

  /** No majority or no edge. */
  public static int unavailable(Io io, String reason) {
    io.err().println("unavailable: " + reason);
    return ExitCodes.UNAVAILABLE;
  }

  /** Wrong PIN. */
  public static int wrongPin(Io io, int guessesRemaining) {
    io.err().println("wrong PIN");
    io.err().println("guesses remaining: " + guessesRemaining);
    return ExitCodes.WRONG_PIN;
  }

  /** No guesses left. */
  public static int noGuesses(Io io) {
    io.err().println("no guesses left: the key is destroyed");
    return ExitCodes.NO_GUESSES_OR_NOT_REGISTERED;
  }

  /** Not registered. */
  public static int notRegistered(Io io, String user) {
    io.err().println("not registered: " + user);
    return ExitCodes.NO_GUESSES_OR_NOT_REGISTERED;
  }
}
