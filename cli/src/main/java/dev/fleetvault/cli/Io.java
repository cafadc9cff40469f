package dev.fleetvault.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Objects;

/**
 * The standard streams a command uses. Commands never touch {@link System#in}/{@code out}/{@code
 * err} directly, so tests can run them in-process with their own streams.
 *
 * @param in where PINs are read from when no PIN file is given
 * @param out where results go (a recovered secret is written here as raw bytes when there is no
 *     {@code --out})
 * @param err where diagnostics go (never secrets)
 */
public record Io(InputStream in, PrintStream out, PrintStream err) {
  /** Checks that no stream is null. */
  public Io {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
  }

  /** The process's own standard streams. */
  public static Io system() {
    return new Io(System.in, System.out, System.err);
  }
}
