package dev.fleetvault.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the picocli command in-process with captured streams. */
record CliRun(int exit, byte[] stdout, String stderr) {

  static CliRun run(String stdin, List<String> common, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (args.length > 0) {
      all.addAll(1, common);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Io io =
        new Io(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    int code = Main.execute(io, all.toArray(new String[0]));
    io.out().flush();
    io.err().flush();
    return new CliRun(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  static CliRun run(String stdin, String... args) {
    return run(stdin, List.of(), args);
  }

  String out() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "exit " + exit + ", stderr: " + stderr;
  }
}
