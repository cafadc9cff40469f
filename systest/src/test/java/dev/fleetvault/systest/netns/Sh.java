package dev.fleetvault.systest.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one short system command ({@code ip}, {@code tc}, {@code kill}) with a hard deadline and
 * returns its exit code and combined output. Never hangs the test: a command past its deadline is
 * killed and reported as failed.
 */
public final class Sh {
  /** Deadline of one administrative command. */
  public static final Duration DEADLINE = Duration.ofSeconds(20);

  private Sh() {}

  /** The outcome of a command. */
  public record Result(List<String> command, int exit, String output) {
    /** Whether it exited 0. */
    public boolean ok() {
      return exit == 0;
    }

    /** Throws naming the command and its output unless it exited 0. */
    public Result orThrow() {
      if (!ok()) {
        throw new IllegalStateException(
            "'" + String.join(" ", command) + "' exited " + exit + ": " + output.strip());
      }
      return this;
    }
  }

  /** Runs {@code command}; exit -1 when it could not be started or passed its deadline. */
  public static Result run(String... command) {
    List<String> cmd = List.of(command);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[][] out = new byte[1][];
      Thread reader =
          new Thread(
              () -> {
                try {
                  out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                  out[0] = new byte[0];
                }
              },
              "sh-output");
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(cmd, -1, "timed out after " + DEADLINE);
      }
      reader.join(2000);
      String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
      return new Result(cmd, p.exitValue(), text);
    } catch (IOException e) {
      return new Result(cmd, -1, "cannot start: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(cmd, -1, "interrupted");
    }
  }
}
