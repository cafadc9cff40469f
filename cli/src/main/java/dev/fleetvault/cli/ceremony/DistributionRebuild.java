package dev.fleetvault.cli.ceremony;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Rebuilds the node distribution the way {@code dist/verify-reproducible.sh} does: a clean {@code
 * git archive} of one commit of the source tree in a new temporary directory, then {@code mvn -o -B
 * -q package -DskipTests -pl dist -am} (nothing is installed), and returns the SHA-256 of {@code
 * dist/target/fleetvault-*.tar.gz}: the value {@code ceremony member --software} records in every
 * key statement.
 *
 * <p>The Maven command is {@code mvn} on the {@code PATH} unless the system property {@code
 * fleetvault.mvn} names another executable; {@code FLEETVAULT_REPRO_ONLINE=1} builds without {@code
 * -o}, as the script does.
 */
final class DistributionRebuild {
  /** The longest a rebuild may take. */
  static final long TIMEOUT_MINUTES = 30;

  /** A rebuilt distribution. */
  record Result(String commit, String fileName, byte[] sha256) {}

  /** Why a rebuild could not be made. */
  static final class RebuildException extends Exception {
    private static final long serialVersionUID = 1L;

    RebuildException(String message) {
      super(message, null, false, false);
    }
  }

  private DistributionRebuild() {}

  static Result rebuild(Path source, String rev) throws RebuildException {
    Path src = source.toAbsolutePath().normalize();
    if (!Files.isRegularFile(src.resolve("pom.xml")) || !Files.isDirectory(src.resolve("dist"))) {
      throw new RebuildException(
          src + " is not a Fleetvault source tree (no pom.xml and dist/); pass --source DIR");
    }
    String commit =
        run(
                src,
                List.of("git", "-C", src.toString(), "rev-parse", "--verify", rev + "^{commit}"),
                null)
            .trim();
    if (!commit.matches("[0-9a-f]{40,64}")) {
      throw new RebuildException(
          src + " is not a git checkout with commit " + rev + " (git said: " + commit + ")");
    }
    Path work = null;
    try {
      work = Files.createTempDirectory("fleetvault-rebuild");
      Path tar = work.resolve("source.tar");
      Path tree = work.resolve("src");
      Files.createDirectories(tree);
      run(
          src,
          List.of(
              "git", "-C", src.toString(), "archive", "--format=tar", "-o", tar.toString(), commit),
          null);
      run(tree, List.of("tar", "-x", "-f", tar.toString(), "-C", tree.toString()), null);
      List<String> mvn = new ArrayList<>(List.of(System.getProperty("fleetvault.mvn", "mvn")));
      if (!"1".equals(System.getenv("FLEETVAULT_REPRO_ONLINE"))) {
        mvn.add("-o");
      }
      mvn.addAll(
          List.of(
              "-B", "-q", "-Dstyle.color=never", "package", "-DskipTests", "-pl", "dist", "-am"));
      run(tree, mvn, work.resolve("build.log"));
      Path target = tree.resolve("dist/target");
      List<Path> tarballs;
      try (Stream<Path> s = Files.list(target)) {
        tarballs =
            s.filter(p -> p.getFileName().toString().matches("fleetvault-.*\\.tar\\.gz"))
                .sorted()
                .toList();
      } catch (IOException e) {
        throw new RebuildException("the build made no " + target + ": " + e.getMessage());
      }
      if (tarballs.size() != 1) {
        throw new RebuildException(
            "expected one dist/target/fleetvault-*.tar.gz, found " + tarballs.size());
      }
      return new Result(
          commit, tarballs.get(0).getFileName().toString(), SoftwareHash.hashFile(tarballs.get(0)));
    } catch (IOException e) {
      throw new RebuildException("rebuild failed: " + e.getMessage());
    } finally {
      if (work != null) {
        deleteTree(work);
      }
    }
  }

  private static String run(Path dir, List<String> cmd, Path log) throws RebuildException {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      if (log != null) {
        pb.redirectOutput(log.toFile());
      }
      Process p = pb.start();
      String out =
          log == null ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new RebuildException(
            String.join(" ", cmd) + " did not finish within " + TIMEOUT_MINUTES + " minutes");
      }
      if (p.exitValue() != 0) {
        String tail = log == null ? out : tail(log);
        throw new RebuildException(
            cmd.get(0)
                + " "
                + (cmd.size() > 1 ? cmd.get(1) : "")
                + "… exited "
                + p.exitValue()
                + ": "
                + tail.strip());
      }
      return out;
    } catch (IOException e) {
      throw new RebuildException("cannot run " + cmd.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RebuildException("interrupted");
    }
  }

  private static String tail(Path log) {
    try {
      List<String> l = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", l.subList(Math.max(0, l.size() - 20), l.size()));
    } catch (IOException e) {
      return "(no build log)";
    }
  }

  private static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }
}
