package dev.fleetvault.systest.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A process running inside one host of {@link NetnsHosts}, with its output files. Its lifetime
 * belongs to the {@link NetnsHosts} that started it.
 *
 * @param host the host (1-based)
 * @param label what it is, for logs
 * @param process the process ({@code ip netns exec} replaced by the command itself)
 * @param out its stdout file
 * @param err its stderr file
 */
public record HostProcess(int host, String label, Process process, Path out, Path err) {

  /**
   * Waits until a line of stdout contains {@code marker}; empty if the process exited first or the
   * deadline passed.
   */
  public Optional<String> awaitLine(String marker, Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      for (String line : lines(out)) {
        if (line.contains(marker)) {
          return Optional.of(line);
        }
      }
      if (!process.isAlive()) {
        return Optional.empty();
      }
      Thread.sleep(250);
    }
    return Optional.empty();
  }

  /** Waits for the process to exit; its exit code, or -1 (and killed) past {@code deadline}. */
  public int awaitExit(Duration deadline) throws InterruptedException {
    if (!process.waitFor(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  /** The last {@code n} lines of stdout and stderr, for failure messages. */
  public String tail(int n) {
    return "--- " + out + tailOf(out, n) + "\n--- " + err + tailOf(err, n);
  }

  private static String tailOf(Path f, int n) {
    List<String> lines = lines(f);
    return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  private static List<String> lines(Path f) {
    try {
      return Files.readAllLines(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }
}
