package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Command-line handling that needs no fleet: help, usage errors, bad files. */
@Tag("process")
class CliUsageTest {

  @Test
  void help_listsCommandsAndExitCodes() {
    CliRun r = CliRun.run("", "--help");

    assertThat(r.exit()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains("up", "node", "register", "recover", "delete", "status", "bench")
        .contains("Exit codes:")
        .contains("3   wrong PIN (standard error says 'guesses remaining: N')")
        .contains("4   no guesses left, or the user is not registered")
        .contains("5   no majority reachable, or no edge answered");
  }

  @Test
  void subcommandHelp_listsExitCodes() {
    CliRun r = CliRun.run("", "recover", "--help");

    assertThat(r.exit()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("--user=U").contains("--out=F").contains("Exit codes:");
  }

  @Test
  void noSubcommand_exit2() {
    assertThat(CliRun.run("").exit()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void register_missingUser_exit2() {
    CliRun r = CliRun.run("1234\n", "register", "--secret-file", "x");

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("--user");
  }

  @Test
  void recover_unknownOption_exit2() {
    assertThat(CliRun.run("", "recover", "--user", "u", "--bogus").exit())
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void recover_badEdge_exit2() {
    CliRun r = CliRun.run("1234\n", "recover", "--user", "u", "--edge", "nohostport");

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("HOST:PORT");
  }

  @Test
  void recover_badTransport_exit2() {
    assertThat(
            CliRun.run("1234\n", "recover", "--user", "u", "--transport", "carrier-pigeon").exit())
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void register_guessesOutOfRange_exit2() throws Exception {
    Path secret = TestDirs.fresh("usage").resolve("s");
    Files.writeString(secret, "s");

    CliRun r =
        CliRun.run(
            "1234\n",
            "register",
            "--user",
            "u",
            "--secret-file",
            secret.toString(),
            "--guesses",
            "0");

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("--guesses");
  }

  @Test
  void register_secretTooLarge_exit2() throws Exception {
    Path secret = TestDirs.fresh("usage").resolve("big");
    Files.write(secret, new byte[129]);

    CliRun r = CliRun.run("1234\n", "register", "--user", "u", "--secret-file", secret.toString());

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("128 bytes");
  }

  @Test
  void register_missingSecretFile_exit2() throws Exception {
    Path missing = TestDirs.fresh("usage").resolve("missing");

    CliRun r = CliRun.run("1234\n", "register", "--user", "u", "--secret-file", missing.toString());

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("--secret-file").contains("no such file");
  }

  /** A device that never ends is refused before it is read: no OutOfMemoryError. */
  @Test
  void register_secretFileIsDevZero_exit2() {
    CliRun r = CliRun.run("1234\n", "register", "--user", "u", "--secret-file", "/dev/zero");

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("not a regular file");
  }

  /** A FIFO nobody writes is refused before it is opened: the command does not hang. */
  @Test
  void register_secretFileIsFifo_exit2() throws Exception {
    Path fifo = TestDirs.fresh("usage-fifo").resolve("fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mk.waitFor()).isZero();

    CliRun r = CliRun.run("1234\n", "register", "--user", "u", "--secret-file", fifo.toString());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("not a regular file");
  }

  @Test
  void recover_pinFileIsDevZero_exit2() {
    CliRun r = CliRun.run("", "recover", "--user", "u", "--pin-file", "/dev/zero");

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("--pin-file").contains("not a regular file");
  }

  @Test
  void register_guesses101_exit2() throws Exception {
    Path secret = TestDirs.fresh("usage").resolve("s101");
    Files.writeString(secret, "s");

    CliRun r =
        CliRun.run(
            "1234\n",
            "register",
            "--user",
            "u",
            "--secret-file",
            secret.toString(),
            "--guesses",
            "101");

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("--guesses must be 1..100");
  }

  @Test
  void registerHelp_guessRange_matchesProtocol() {
    CliRun r = CliRun.run("", "register", "--help");

    assertThat(r.out()).contains("1..100").doesNotContain("1..1000");
  }

  @Test
  void register_userLongerThan128Bytes_exit2() throws Exception {
    Path secret = TestDirs.fresh("usage").resolve("su");
    Files.writeString(secret, "s");

    CliRun r =
        CliRun.run(
            "1234\n", "register", "--user", "é".repeat(65), "--secret-file", secret.toString());

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("--user must be 1..128 bytes");
  }

  @Test
  void register_unknownPinParams_exit2() throws Exception {
    Path secret = TestDirs.fresh("usage").resolve("sp");
    Files.writeString(secret, "s");

    CliRun r =
        CliRun.run(
            "1234\n",
            "register",
            "--user",
            "u",
            "--secret-file",
            secret.toString(),
            "--pin-params",
            "argon2id-v9-made-up");

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr())
        .contains("--pin-params argon2id-v9-made-up is unknown")
        .contains("argon2id-v1-default");
  }

  /** An existing --out file is never silently overwritten. */
  @Test
  void recover_outExists_exit2AndFileUnchanged() throws Exception {
    Path out = TestDirs.fresh("usage-out").resolve("secret.out");
    Files.writeString(out, "keep me");

    CliRun r = CliRun.run("1234\n", "recover", "--user", "u", "--out", out.toString());

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("already exists").contains("--force");
    assertThat(Files.readString(out)).isEqualTo("keep me");
  }

  @Test
  void recover_emptyPin_exit2() {
    CliRun r = CliRun.run("\n", "recover", "--user", "u");

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("PIN is empty");
  }

  @Test
  void recover_missingConfig_exit2() throws Exception {
    Path missing = TestDirs.fresh("usage").resolve("nope.yaml");

    CliRun r = CliRun.run("1234\n", "recover", "--user", "u", "--config", missing.toString());

    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("no configuration file");
  }

  @Test
  void recover_fleetNeverStarted_exit5() throws Exception {
    TestFleet f =
        TestFleet.configure(TestDirs.fresh("usage-nofleet"), Ports.freeBlock(Ports.FLEET_BLOCK));

    CliRun r = CliRun.run("1234\n", f.cliArgs(), "recover", "--user", "u");

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.stderr()).contains("start the fleet first");
  }

  @Test
  void recover_unreadableTrustFile_exit2() throws Exception {
    TestFleet f = TestFleet.configure(TestDirs.fresh("usage-trust"), 27690);
    Path missing = TestDirs.fresh("usage").resolve("trust.json");

    CliRun r =
        CliRun.run("1234\n", f.cliArgs(), "recover", "--user", "u", "--trust", missing.toString());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("cannot use the trust file");
  }
}
