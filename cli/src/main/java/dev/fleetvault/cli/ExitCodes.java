package dev.fleetvault.cli;

/**
 * The exit codes of every {@code fleetvault} command. They are stable: scripts may rely on them.
 *
 * <p>The same list is printed by {@code fleetvault --help}.
 */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;

  /** Any other failure (an I/O error, a bad file, an unexpected answer). */
  public static final int FAILURE = 1;

  /** The command line was wrong (unknown option, missing argument, bad value). */
  public static final int USAGE = 2;

  /** The PIN was wrong; standard error says {@code guesses remaining: N}. */
  public static final int WRONG_PIN = 3;

  /** No guesses are left (the key is destroyed) or the user is not registered. */
  public static final int NO_GUESSES_OR_NOT_REGISTERED = 4;

  /** No majority of the fleet could be reached, or no edge answered. */
  public static final int UNAVAILABLE = 5;

  /** The exit code list as {@code --help} prints it under "Exit codes:" for every command. */
  static java.util.Map<String, String> helpList() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("0", "success");
    m.put("1", "other failure (I/O error, bad file, unexpected answer)");
    m.put("2", "usage error (bad option or argument)");
    m.put("3", "wrong PIN (standard error says 'guesses remaining: N')");
    m.put("4", "no guesses left, or the user is not registered");
    m.put("5", "no majority reachable, or no edge answered");
    return m;
  }

  private ExitCodes() {}
}
