package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.cli.impl.InputFiles;
import dev.fleetvault.cli.impl.Outcomes;
import dev.fleetvault.cli.impl.PinInput;
import dev.fleetvault.client.BackupSecret;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RegisterResult;
import dev.fleetvault.protocol.wire.WireLimits;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fleetvault register}: stores a secret behind a PIN. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    header = "Store a secret behind a PIN.",
    description =
        "Stores the secret in FILE behind a PIN read from standard input (or --pin-file). A new registration replaces the user's earlier one.")
final class RegisterCommand implements Callable<Integer> {
  /** Default number of wrong guesses allowed. */
  static final int DEFAULT_GUESSES = 10;

  @ParentCommand FleetvaultCommand parent;

  @Option(names = "--user", required = true, paramLabel = "U", description = "User id.")
  String user;

  @Option(
      names = "--secret-file",
      required = true,
      paramLabel = "F",
      description = "File holding the secret (1.." + BackupSecret.MAX_LENGTH + " bytes).")
  Path secretFile;

  @Option(
      names = "--guesses",
      paramLabel = "N",
      defaultValue = "" + DEFAULT_GUESSES,
      description =
          "Wrong guesses allowed before the key is destroyed, 1..100. Default: ${DEFAULT-VALUE}.")
  int guesses;

  @Option(
      names = "--pin-file",
      paramLabel = "F",
      description = "Read the PIN from the first line of F instead of standard input.")
  Path pinFile;

  @Mixin ConnectOptions connect;

  @Override
  public Integer call() {
    checkGuesses(guesses);
    InputFiles.checkUser(user);
    connect.checkPinParams();
    Io io = parent.io();
    BackupSecret secret = readSecret(secretFile);
    char[] pinChars = PinInput.read(pinFile, io.in(), "PIN: ");
    try (secret;
        Pin pin = Pin.of(pinChars);
        FleetvaultClient client = ClientFactory.open(connect)) {
      Arrays.fill(pinChars, '\0');
      RegisterResult r = client.blocking().register(user, pin, secret, guesses);
      if (r instanceof RegisterResult.Registered reg) {
        io.err().println("registered " + user + " (" + reg.guessLimit() + " guesses)");
        return ExitCodes.OK;
      }
      return Outcomes.unavailable(io, ((RegisterResult.Unavailable) r).reason());
    } finally {
      Arrays.fill(pinChars, '\0');
    }
  }

  private static BackupSecret readSecret(Path file) {
    byte[] raw = InputFiles.readSmall(file, "--secret-file", BackupSecret.MAX_LENGTH);
    try {
      return BackupSecret.copyOf(raw);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "the secret file " + file + ": " + e.getMessage());
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** Exit 2 (usage) unless {@code guesses} is within the protocol's 1..MAX_GUESS_LIMIT. */
  static void checkGuesses(int guesses) {
    if (guesses < 1 || guesses > WireLimits.MAX_GUESS_LIMIT) {
      throw new CliException(
          ExitCodes.USAGE,
          "--guesses must be 1.." + WireLimits.MAX_GUESS_LIMIT + ", got " + guesses);
    }
  }
}
