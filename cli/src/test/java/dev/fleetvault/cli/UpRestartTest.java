package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code fleetvault up}, stopped and started again on the same data, keeps the registered users.
 */
@Tag("process")
class UpRestartTest {

  /** A running {@code fleetvault up} in a thread of this JVM. */
  private static final class Up implements AutoCloseable {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final AtomicInteger exit = new AtomicInteger(-1);
    final Thread thread;

    Up(Path config) throws InterruptedException {
      this(config, new String[0]);
    }

    Up(Path config, String... extra) throws InterruptedException {
      Io io =
          new Io(
              new ByteArrayInputStream(new byte[0]),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      thread =
          new Thread(
              () -> {
                java.util.List<String> args =
                    new java.util.ArrayList<>(
                        java.util.List.of("up", "--config", config.toString()));
                args.addAll(java.util.List.of(extra));
                exit.set(Main.execute(io, args.toArray(new String[0])));
              },
              "test-up");
      thread.start();
      Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
      while (!out.toString(StandardCharsets.UTF_8).contains("local fleet up")) {
        if (!thread.isAlive() || Instant.now().isAfter(deadline)) {
          throw new AssertionError(
              "fleetvault up did not come up (exit "
                  + exit.get()
                  + "): "
                  + err.toString(StandardCharsets.UTF_8));
        }
        Thread.sleep(100);
      }
    }

    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join(Duration.ofMinutes(2).toMillis());
    }
  }

  @Test
  void up_dataRootOverride_registerWithSameDataRootVerifiesTheBundle() throws Exception {
    Path work = TestDirs.fresh("up-data-root");
    TestFleet fleet =
        TestFleet.configure(work.resolve("fleet"), Ports.freeBlock(Ports.FLEET_BLOCK));
    Path elsewhere = work.resolve("elsewhere");
    Path secret = work.resolve("secret");
    Files.writeString(secret, "under another data root");
    try (Up up = new Up(fleet.configFile(), "--data-root", elsewhere.toString())) {
      assertThat(up.out.toString(StandardCharsets.UTF_8))
          .contains("trust " + elsewhere.toAbsolutePath().resolve("fleet").resolve("trust.json"))
          .contains("connect  with --data-root " + elsewhere.toAbsolutePath());
      java.util.List<String> args = new java.util.ArrayList<>(fleet.cliArgs());
      args.addAll(java.util.List.of("--data-root", elsewhere.toString()));
      CliRun reg =
          CliRun.run(
              "9090\n",
              args,
              "register",
              "--user",
              "dr-user",
              "--secret-file",
              secret.toString(),
              "--guesses",
              "3");
      assertThat(reg.exit()).as(reg.toString()).isEqualTo(ExitCodes.OK);
      CliRun ok = CliRun.run("9090\n", args, "recover", "--user", "dr-user");
      assertThat(ok.exit()).as(ok.toString()).isEqualTo(ExitCodes.OK);
      assertThat(ok.out()).isEqualTo("under another data root");
    }
  }

  @Test
  void up_secondRunOnSameData_keepsRegisteredUsers() throws Exception {
    Path work = TestDirs.fresh("up-restart");
    TestFleet fleet =
        TestFleet.configure(work.resolve("fleet"), Ports.freeBlock(Ports.FLEET_BLOCK));
    Path secret = work.resolve("secret");
    Files.writeString(secret, "survives restarts");

    Up first = new Up(fleet.configFile());
    try {
      assertThat(first.out.toString(StandardCharsets.UTF_8))
          .contains("edge dc1  " + fleet.edges().get(0))
          .contains("signer http://127.0.0.1:")
          .contains("fleet bundle epoch 1)")
          .contains("trust " + fleet.dataRoot().resolve("fleet").resolve("trust.json"));
      CliRun reg =
          CliRun.run(
              "9090\n",
              fleet.cliArgs(),
              "register",
              "--user",
              "up-user",
              "--secret-file",
              secret.toString(),
              "--guesses",
              "3");
      assertThat(reg.exit()).as(reg.toString()).isEqualTo(ExitCodes.OK);
      CliRun wrong = CliRun.run("0000\n", fleet.cliArgs(), "recover", "--user", "up-user");
      assertThat(wrong.stderr()).contains("guesses remaining: 2");
    } finally {
      first.close();
    }
    assertThat(first.exit.get()).isEqualTo(ExitCodes.OK);

    try (Up second = new Up(fleet.configFile())) {
      // same member keys: the bundle is not re-published, and the client's stored tree size still
      // verifies
      assertThat(second.out.toString(StandardCharsets.UTF_8)).contains("fleet bundle epoch 1)");
      CliRun again = CliRun.run("0001\n", fleet.cliArgs(), "recover", "--user", "up-user");
      assertThat(again.exit()).as(again.toString()).isEqualTo(ExitCodes.WRONG_PIN);
      assertThat(again.stderr()).contains("guesses remaining: 1");

      CliRun ok = CliRun.run("9090\n", fleet.cliArgs(), "recover", "--user", "up-user");
      assertThat(ok.exit()).as(ok.toString()).isEqualTo(ExitCodes.OK);
      assertThat(ok.out()).isEqualTo("survives restarts");
    }
  }
}
