package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The {@code fleetvault} commands in-process against a real fleet: exit codes, messages, files. */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliTest {
  private static final AtomicInteger USERS = new AtomicInteger();
  private TestFleet fleet;
  private Path work;
  private List<String> common;

  @BeforeAll
  void startFleet() throws Exception {
    work = TestDirs.fresh("cli");
    fleet = TestFleet.start(work.resolve("fleet"), Ports.freeBlock(Ports.FLEET_BLOCK));
    common = fleet.cliArgs();
  }

  @AfterAll
  void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private Path secretFile(String content) throws Exception {
    Path f = work.resolve("secret-" + System.nanoTime());
    Files.write(f, content.getBytes(StandardCharsets.UTF_8));
    return f;
  }

  private String register(String pin, String secret, int guesses) throws Exception {
    String user = "cli-user-" + USERS.incrementAndGet();
    CliRun r =
        CliRun.run(
            pin + "\n",
            common,
            "register",
            "--user",
            user,
            "--secret-file",
            secretFile(secret).toString(),
            "--guesses",
            "" + guesses);
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
    return user;
  }

  @Test
  void recover_afterRegister_exit0AndSecretOnStdout() throws Exception {
    String user = register("8642", "my backup key \u00e9\u0000\u00ff", 5);

    CliRun r = CliRun.run("8642\n", common, "recover", "--user", user);

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.stdout())
        .isEqualTo("my backup key \u00e9\u0000\u00ff".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void recover_outFile_writesSecretWithOwnerOnlyPermissions() throws Exception {
    String user = register("1122", "file secret", 5);
    Path out = work.resolve("out-" + System.nanoTime());

    CliRun r = CliRun.run("1122\n", common, "recover", "--user", user, "--out", out.toString());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.stdout()).isEmpty();
    assertThat(Files.readString(out)).isEqualTo("file secret");
    assertThat(Files.getPosixFilePermissions(out))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void register_pinFile_recoverWithStdinPin() throws Exception {
    Path pinFile = work.resolve("pin-" + System.nanoTime());
    Files.writeString(pinFile, "correct horse\n");
    String user = "cli-user-" + USERS.incrementAndGet();

    CliRun reg =
        CliRun.run(
            "",
            common,
            "register",
            "--user",
            user,
            "--secret-file",
            secretFile("abc").toString(),
            "--pin-file",
            pinFile.toString());
    assertThat(reg.exit()).as(reg.toString()).isEqualTo(ExitCodes.OK);

    CliRun r = CliRun.run("correct horse\r\n", common, "recover", "--user", user);
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).isEqualTo("abc");
  }

  @Test
  void recover_wrongPin_exit3AndGuessesRemainingOnStderr() throws Exception {
    String user = register("2020", "s", 4);

    CliRun first = CliRun.run("1111\n", common, "recover", "--user", user);
    CliRun second = CliRun.run("1112\n", common, "recover", "--user", user);

    assertThat(first.exit()).isEqualTo(ExitCodes.WRONG_PIN);
    assertThat(first.stderr()).contains("guesses remaining: 3");
    assertThat(first.stdout()).isEmpty();
    assertThat(second.exit()).isEqualTo(ExitCodes.WRONG_PIN);
    assertThat(second.stderr()).contains("guesses remaining: 2");
  }

  @Test
  void recover_lockedOut_exit4() throws Exception {
    String user = register("3030", "s", 1);
    CliRun wrong = CliRun.run("0000\n", common, "recover", "--user", user);
    assertThat(wrong.exit()).isIn(ExitCodes.WRONG_PIN, ExitCodes.NO_GUESSES_OR_NOT_REGISTERED);

    CliRun right = CliRun.run("3030\n", common, "recover", "--user", user);

    assertThat(right.exit()).as(right.toString()).isEqualTo(ExitCodes.NO_GUESSES_OR_NOT_REGISTERED);
    assertThat(right.stderr()).contains("no guesses left");
    assertThat(right.stdout()).isEmpty();
  }

  @Test
  void recover_notRegistered_exit4() {
    CliRun r = CliRun.run("1234\n", common, "recover", "--user", "cli-nobody-" + System.nanoTime());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.NO_GUESSES_OR_NOT_REGISTERED);
    assertThat(r.stderr()).contains("not registered");
  }

  @Test
  void delete_registeredUser_exit0ThenRecoverExit4() throws Exception {
    String user = register("4040", "s", 3);

    CliRun d = CliRun.run("", common, "delete", "--user", user);

    assertThat(d.exit()).as(d.toString()).isEqualTo(ExitCodes.OK);
    assertThat(CliRun.run("4040\n", common, "recover", "--user", user).exit())
        .isEqualTo(ExitCodes.NO_GUESSES_OR_NOT_REGISTERED);
  }

  @Test
  void registerAndRecover_websocketTransport_exit0() throws Exception {
    String user = "cli-user-" + USERS.incrementAndGet();
    CliRun reg =
        CliRun.run(
            "5050\n",
            common,
            "register",
            "--user",
            user,
            "--transport",
            "websocket",
            "--secret-file",
            secretFile("over ws").toString());
    assertThat(reg.exit()).as(reg.toString()).isEqualTo(ExitCodes.OK);

    CliRun r = CliRun.run("5050\n", common, "recover", "--user", user, "--transport", "ws");

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).isEqualTo("over ws");
  }

  @Test
  void status_fleetUp_exit0AndMajorityReachable() {
    CliRun r = CliRun.run("", common, "status");

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains("majority:  reachable")
        .contains("member 1:  reachable")
        .contains("3 members")
        .containsPattern("leader:    member [123]\\n");
  }

  @Test
  void recover_noEdgeReachable_exit5() throws Exception {
    String user = register("6060", "s", 3);

    CliRun r =
        CliRun.run(
            "6060\n",
            common,
            "recover",
            "--user",
            user,
            "--edge",
            "127.0.0.1:" + fleet.unusedPort());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.stderr()).contains("unavailable");
  }

  @Test
  void status_noEdgeReachable_exit5() {
    CliRun r = CliRun.run("", common, "status", "--edge", "127.0.0.1:" + fleet.unusedPort());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
  }
}
