package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.cli.impl.InputFiles;
import dev.fleetvault.cli.impl.Outcomes;
import dev.fleetvault.cli.impl.PinInput;
import dev.fleetvault.client.DeleteResult;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.Pin;
import dev.fleetvault.client.RecoverResult;
import dev.fleetvault.client.RegisterResult;
import dev.fleetvault.client.passkey.Authenticator;
import dev.fleetvault.client.passkey.PasskeyAssertionInfo;
import dev.fleetvault.client.passkey.PasskeyCredentialInfo;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fleetvault passkey add|remove} (PROTOCOL.md 21.1, 21.9). The CLI cannot run WebAuthn: the
 * WebAuthn ceremonies happen in a browser (the app's web page), which writes the credential and the
 * PRF output to files; {@code add} reads them, unlocks the backup with the PIN and registers the
 * secret on the user's passkey entry. Recovering with a passkey needs an assertion over a challenge
 * computed during the recovery, so it is done by the web app or the SDK, not here.
 */
@Command(
    name = "passkey",
    mixinStandardHelpOptions = true,
    header = "Add or remove a passkey on a PIN-protected backup.",
    subcommands = {PasskeyCommand.Add.class, PasskeyCommand.Remove.class})
final class PasskeyCommand {
  @ParentCommand FleetvaultCommand parent;

  /** {@code fleetvault passkey add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      header = "Protect a PIN-protected backup with a passkey too.",
      description = {
        "Recovers the secret with the PIN (standard input or --pin-file), then registers it on the user's",
        "passkey entry, gated by the credential in --credential-file and unlocked by the PRF output in --prf-file.",
        "Both files come from the browser that ran the WebAuthn ceremonies: --credential-file is JSON",
        "{\"credential_id\": b64url(rawId), \"public_key\": b64url(getPublicKey(), DER SPKI),",
        "\"algorithm\": getPublicKeyAlgorithm(), \"user_handle\": b64url(user.id)}; --prf-file holds",
        "b64url(prf.results.first) for prf.eval.first = the salt of PROTOCOL.md 21.2."
      })
  static final class Add implements Callable<Integer> {
    @ParentCommand PasskeyCommand passkey;

    @Option(names = "--user", required = true, paramLabel = "U", description = "User id.")
    String user;

    @Option(
        names = "--credential-file",
        required = true,
        paramLabel = "F",
        description = "The credential (JSON, see above).")
    Path credentialFile;

    @Option(
        names = "--prf-file",
        required = true,
        paramLabel = "F",
        description = "The 32-byte PRF output, base64url.")
    Path prfFile;

    @Option(
        names = "--guesses",
        paramLabel = "N",
        defaultValue = "" + RegisterCommand.DEFAULT_GUESSES,
        description = "Attempts allowed on the passkey entry, 1..100. Default: ${DEFAULT-VALUE}.")
    int guesses;

    @Option(
        names = "--pin-file",
        paramLabel = "F",
        description = "Read the PIN from the first line of F instead of standard input.")
    Path pinFile;

    @Mixin ConnectOptions connect;

    @Override
    public Integer call() {
      RegisterCommand.checkGuesses(guesses);
      InputFiles.checkUser(user);
      Io io = passkey.parent.io();
      PasskeyCredentialInfo credential = readCredential(credentialFile);
      byte[] prf = readPrf(prfFile);
      Authenticator fromFiles =
          new Authenticator() {
            @Override
            public PasskeyCredentialInfo credential() {
              return credential;
            }

            @Override
            public byte[] prf(byte[] salt) {
              return prf.clone();
            }

            @Override
            public PasskeyAssertionInfo assertion(
                byte[] challenge, byte[] credentialId, String rpId) {
              throw new UnsupportedOperationException("the CLI cannot make WebAuthn assertions");
            }
          };
      char[] pinChars = PinInput.read(pinFile, io.in(), "PIN: ");
      try (Pin pin = Pin.of(pinChars);
          FleetvaultClient client = ClientFactory.open(connect)) {
        Arrays.fill(pinChars, '\0');
        RegisterResult r = client.blocking().addPasskey(user, pin, fromFiles, guesses);
        if (r instanceof RegisterResult.Registered reg) {
          io.err().println("added a passkey for " + user + " (" + reg.guessLimit() + " attempts)");
          return ExitCodes.OK;
        }
        if (r instanceof RegisterResult.NotUnlocked n) {
          RecoverResult rr = n.recovery();
          if (rr instanceof RecoverResult.WrongPin w) {
            return Outcomes.wrongPin(io, w.guessesRemaining());
          }
          if (rr instanceof RecoverResult.NoGuesses) {
            return Outcomes.noGuesses(io);
          }
          if (rr instanceof RecoverResult.NotRegistered) {
            return Outcomes.notRegistered(io, user);
          }
          return Outcomes.unavailable(io, rr.toString());
        }
        return Outcomes.unavailable(io, ((RegisterResult.Unavailable) r).reason());
      } finally {
        Arrays.fill(pinChars, '\0');
        Arrays.fill(prf, (byte) 0);
      }
    }

    private static PasskeyCredentialInfo readCredential(Path file) {
      byte[] raw = InputFiles.readSmall(file, "--credential-file", 4096);
      try {
        JsonObject j = new JsonObject(new String(raw, StandardCharsets.UTF_8));
        return new PasskeyCredentialInfo(
            b64(j.getString("credential_id")),
            b64(j.getString("public_key")),
            j.getInteger("algorithm"),
            b64(j.getString("user_handle")));
      } catch (RuntimeException e) {
        throw new CliException(
            ExitCodes.USAGE,
            "the credential file "
                + file
                + " must be JSON with credential_id, public_key, algorithm, user_handle: "
                + e.getMessage());
      }
    }

    private static byte[] readPrf(Path file) {
      byte[] raw = InputFiles.readSmall(file, "--prf-file", 256);
      try {
        byte[] prf = b64(new String(raw, StandardCharsets.US_ASCII).strip());
        if (prf.length != 32) {
          throw new IllegalArgumentException("not 32 bytes");
        }
        return prf;
      } catch (RuntimeException e) {
        throw new CliException(
            ExitCodes.USAGE, "the PRF file " + file + " must hold 32 bytes in base64url");
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    }

    private static byte[] b64(String s) {
      if (s == null) {
        throw new IllegalArgumentException("a field is missing");
      }
      return Base64.getUrlDecoder().decode(s.replace("=", ""));
    }
  }

  /** {@code fleetvault passkey remove}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      header = "Remove the user's passkey entry.",
      description =
          "Deletes the user's passkey entry on every member (no PIN needed); a PIN entry stays.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand PasskeyCommand passkey;

    @Option(names = "--user", required = true, paramLabel = "U", description = "User id.")
    String user;

    @Mixin ConnectOptions connect;

    @Override
    public Integer call() {
      InputFiles.checkUser(user);
      Io io = passkey.parent.io();
      try (FleetvaultClient client = ClientFactory.open(connect)) {
        DeleteResult r = client.blocking().removePasskey(user);
        if (r instanceof DeleteResult.Deleted) {
          io.err().println("removed the passkey of " + user);
          return ExitCodes.OK;
        }
        return Outcomes.unavailable(io, ((DeleteResult.Unavailable) r).reason());
      }
    }
  }
}
