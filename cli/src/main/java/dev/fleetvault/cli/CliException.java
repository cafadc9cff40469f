package dev.fleetvault.cli;

/**
 * A command failure with the exit code it maps to and a message for standard error. The message
 * must never contain a PIN, a secret or anything derived from them.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /**
   * @param exitCode one of {@link ExitCodes}
   * @param message what happened and, where possible, what to do next
   */
  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** The process exit code this failure maps to. */
  public int exitCode() {
    return exitCode;
  }
}
