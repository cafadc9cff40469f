package dev.fleetvault.systest.campaign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every operation of a campaign, in the order they were answered. Thread-safe. */
public final class History {
  private final List<Op> ops = new ArrayList<>();

  /** Records one operation. */
  public synchronized void add(Op op) {
    ops.add(op);
  }

  /** A copy of the operations of {@code scenario}. */
  public synchronized List<Op> of(String scenario) {
    return ops.stream().filter(o -> o.scenario().equals(scenario)).toList();
  }

  /**
   * Writes every operation as one CSV line (scenario, kind, user, version, start and end in ms
   * since the first call, outcome, guesses remaining, recovered version, detail); no PIN or secret
   * is in the history.
   */
  public synchronized void writeCsv(Path file) throws IOException {
    long t0 = ops.stream().mapToLong(Op::startNanos).min().orElse(0);
    StringBuilder b =
        new StringBuilder(
            "scenario,kind,user,version,start_ms,end_ms,outcome,guesses_remaining,"
                + "recovered_version,detail\n");
    for (Op o : ops) {
      b.append(q(o.scenario()))
          .append(',')
          .append(o.kind())
          .append(',')
          .append(q(o.user()))
          .append(',')
          .append(o.version())
          .append(',')
          .append((o.startNanos() - t0) / 1_000_000)
          .append(',')
          .append((o.endNanos() - t0) / 1_000_000)
          .append(',')
          .append(o.outcome())
          .append(',')
          .append(o.guessesRemaining())
          .append(',')
          .append(o.recoveredVersion())
          .append(',')
          .append(q(o.detail()))
          .append('\n');
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }

  private static String q(String s) {
    return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
  }

  /** A copy of all operations. */
  public synchronized List<Op> all() {
    return List.copyOf(ops);
  }
}
