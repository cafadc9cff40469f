package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The CLI's bad-input catalogue ({@code CliBadInputCatalogue.csv} beside this class in the test
 * resources): each command line must end within a deadline with its exit code and a clear message,
 * never hang on a FIFO nor exhaust memory on {@code /dev/zero}.
 */
@Tag("process")
class CliBadInputCatalogueTest {
  static Path dir;
  static ExecutorService runner;

  @BeforeAll
  static void files() throws Exception {
    dir = TestDirs.fresh("bad-input-catalogue");
    Files.write(dir.resolve("secret"), new byte[] {4, 2});
    Files.write(dir.resolve("empty"), new byte[0]);
    byte[] garbage = new byte[300];
    new SecureRandom().nextBytes(garbage);
    garbage[0] = (byte) 0xff;
    Files.write(dir.resolve("garbage"), garbage);
    Files.createDirectories(dir.resolve("dir"));
    Process mk = new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).inheritIO().start();
    assertThat(mk.waitFor()).isZero();
    runner =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "cli-catalogue");
              t.setDaemon(true); // a hung command must not keep the test JVM alive
              return t;
            });
  }

  @AfterAll
  static void stop() {
    runner.shutdownNow();
  }

  @ParameterizedTest(name = "{0}: fleetvault {1} -> exit {3}")
  @CsvFileSource(resources = "CliBadInputCatalogue.csv", delimiter = '|')
  void commandLine_refusedWithExitCodeAndMessage(
      String id, String args, String stdin, int exit, String stderr) throws Exception {
    String[] argv =
        args.replace("{secret}", dir.resolve("secret").toString())
            .replace("{empty}", dir.resolve("empty").toString())
            .replace("{garbage}", dir.resolve("garbage").toString())
            .replace("{dir}", dir.resolve("dir").toString())
            .replace("{fifo}", dir.resolve("fifo").toString())
            .replace("{missing}", dir.resolve("missing").toString())
            .split(" ");
    String in = stdin == null ? "" : stdin.replace("\\n", "\n");
    Future<CliRun> f = runner.submit(() -> CliRun.run(in, argv));
    CliRun r;
    try {
      r = f.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError(id + ": the command did not end within 60 s", e);
    }
    assertThat(r.exit()).as("%s: %s", id, r).isEqualTo(exit);
    assertThat(r.stderr()).as(id).contains(stderr);
  }
}
