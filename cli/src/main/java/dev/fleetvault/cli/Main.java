package dev.fleetvault.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Entry point of the {@code fleetvault} command. {@link #execute(Io, String...)} runs a command
 * in-process and returns its exit code (see {@link ExitCodes}); {@link #main(String[])} exits the
 * JVM with it.
 */
public final class Main {
  /** {@code json}: log JSON lines (logback's JsonEncoder) instead of text; anything else: text. */
  public static final String LOG_FORMAT_ENV = "FLEETVAULT_LOG_FORMAT";

  private Main() {}

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    String format = System.getenv(LOG_FORMAT_ENV);
    if ("json".equalsIgnoreCase(format)
        && System.getProperty("logback.configurationFile") == null) {
      System.setProperty(
          "logback.configurationFile", "logback-json.xml"); // before the first logger
    }
    int code = execute(Io.system(), args);
    System.out.flush();
    System.exit(code);
  }

  /**
   * Runs one command line in this JVM with the given streams.
   *
   * @return the exit code (see {@link ExitCodes})
   */
  public static int execute(Io io, String... args) {
    return commandLine(io).execute(args);
  }

  /** The configured picocli command line (exposed for tests and for help rendering). */
  public static CommandLine commandLine(Io io) {
    CommandLine cl = new CommandLine(new FleetvaultCommand(io));
    cl.setOut(
        new PrintWriter(new java.io.OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
    cl.setErr(
        new PrintWriter(new java.io.OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
    applyExitCodeHelp(cl);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          if (ex instanceof CliException ce) {
            cmd.getErr().println("fleetvault " + cmd.getCommandName() + ": " + ce.getMessage());
            return ce.exitCode();
          }
          if (ex instanceof dev.fleetvault.client.FleetvaultException fe) {
            cmd.getErr()
                .println(
                    "fleetvault "
                        + cmd.getCommandName()
                        + ": "
                        + fe.code().name().toLowerCase(java.util.Locale.ROOT)
                        + ": "
                        + fe.getMessage());
            return fe.code() == dev.fleetvault.client.FleetvaultException.Code.UNAVAILABLE
                ? ExitCodes.UNAVAILABLE
                : ExitCodes.FAILURE;
          }
          // Unexpected failures: say what failed, without a stack trace full of internals.
          cmd.getErr().println("fleetvault " + cmd.getCommandName() + ": " + describe(ex));
          return ExitCodes.FAILURE;
        });
    return cl;
  }

  private static void applyExitCodeHelp(CommandLine cl) {
    cl.getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCodes.helpList());
    cl.getSubcommands().values().forEach(Main::applyExitCodeHelp);
  }

  private static String describe(Throwable ex) {
    String msg = ex.getMessage();
    return ex.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
