package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.cli.impl.InputFiles;
import dev.fleetvault.cli.impl.Outcomes;
import dev.fleetvault.cli.impl.PinInput;
import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fleetvault recover}: recovers a secret with the PIN. */
@Command(
    name = "recover",
    mixinStandardHelpOptions = true,
    header = "Recover a secret with the PIN.",
    description =
        "Recovers the user's secret with the PIN read from standard input (or --pin-file) and writes it to --out, or to standard output. A wrong PIN spends one guess.")
final class RecoverCommand implements Callable<Integer> {
  @ParentCommand FleetvaultCommand parent;

  @Option(names = "--user", required = true, paramLabel = "U", description = "User id.")
  String user;

  @Option(
      names = "--out",
      paramLabel = "F",
      description =
          "Write the secret to F (created with owner-only permissions) instead of standard output.")
  Path out;

  @Option(
      names = "--pin-file",
      paramLabel = "F",
      description = "Read the PIN from the first line of F instead of standard input.")
  Path pinFile;

  @Mixin ConnectOptions connect;

  @Option(
      names = "--force",
      description = "With --out: replace F if it already exists (default: refuse, exit 2).")
  boolean force;

  @Override
  public Integer call() {
    InputFiles.checkUser(user);
    if (out != null && !force && InputFiles.existsNoFollow(out)) {
      throw new CliException(
          ExitCodes.USAGE, "--out " + out + " already exists; give --force to replace it");
    }
    Io io = parent.io();
    char[] pinChars = PinInput.read(pinFile, io.in(), "PIN: ");
    try (Pin pin = Pin.of(pinChars);
        FleetvaultClient client = ClientFactory.open(connect)) {
      Arrays.fill(pinChars, '\0');
      RecoverResult r = client.blocking().recover(user, pin);
      if (r instanceof RecoverResult.Recovered rec) {
        try (BackupSecret secret = rec.secret()) {
          write(secret, io);
        }
        return ExitCodes.OK;
      } else if (r instanceof RecoverResult.WrongPin w) {
        return Outcomes.wrongPin(io, w.guessesRemaining());
      } else if (r instanceof RecoverResult.NoGuesses) {
        return Outcomes.noGuesses(io);
      } else if (r instanceof RecoverResult.NotRegistered) {
        return Outcomes.notRegistered(io, user);
      }
      return Outcomes.unavailable(io, ((RecoverResult.Unavailable) r).reason());
    } finally {
      Arrays.fill(pinChars, '\0');
    }
  }

  private void write(BackupSecret secret, Io io) {
    try {
      if (out == null) {
        secret.writeTo(io.out());
        io.out().flush();
        return;
      }
      if (force) {
        Files.deleteIfExists(out);
      }
      try {
        Files.createFile(
            out,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(out);
      }
      try (OutputStream os =
          Files.newOutputStream(
              out, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        secret.writeTo(os);
      }
      io.err().println("recovered " + user + " into " + out);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.FAILURE,
          "cannot write the secret to "
              + (out == null ? "standard output" : out)
              + ": "
              + e.getClass().getSimpleName());
    }
  }
}
