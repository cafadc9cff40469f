package dev.fleetvault.cli.audit;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.BundleVerifier;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.VerificationResult;
import dev.fleetvault.bundles.VerifierState;
import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ExitCodes;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.signer.BundlePublisher;
import dev.fleetvault.signer.HsmKey;
import dev.fleetvault.signer.SignerClient;
import dev.fleetvault.signer.SignerConfig;
import dev.fleetvault.signer.SignerService;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fleetvault bundle show|verify|publish|trust|operator-key}: validation bundles from the
 * client's, the auditor's and the operator's side.
 */
@Command(
    name = "bundle",
    mixinStandardHelpOptions = true,
    header = "Show, verify and publish validation bundles.",
    description =
        "Validation bundles carry the fleet's public keys, signed by the independent signer, counter-signed by the operator and logged in the signer's audit log.",
    subcommands = {
      BundleCommand.ShowCmd.class,
      BundleCommand.VerifyCmd.class,
      BundleCommand.PublishCmd.class,
      BundleCommand.TrustCmd.class,
      BundleCommand.OperatorKeyCmd.class
    })
public final class BundleCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "a subcommand is required: show, verify, publish, trust, operator-key");
  }

  /** Where a bundle comes from. */
  static final class Source {
    @Option(
        names = "--file",
        paramLabel = "FILE",
        description = "a bundle or over-the-air envelope JSON file")
    Path file;

    @Option(
        names = "--signer",
        paramLabel = "URL",
        description = "fetch from the signer, e.g. http://127.0.0.1:37100")
    URI signer;

    @Option(
        names = "--edge",
        paramLabel = "HOST:PORT",
        description = "fetch the over-the-air bundle from a fleet edge")
    String edge;
  }

  static BundleEnvelope load(Source src, long from, Long epoch) {
    return load(src, from, epoch, 0);
  }

  static BundleEnvelope load(Source src, long from, Long epoch, long knownEpoch) {
    if (src.edge != null) {
      byte[] b = EdgeBundles.fetch(src.edge, knownEpoch, from, java.time.Duration.ofSeconds(15));
      try {
        return BundleEnvelope.parse(b);
      } catch (FormatException e) {
        throw new CliException(ExitCodes.FAILURE, "invalid: MALFORMED_BUNDLE: " + e.getMessage());
      }
    }
    if (src.file != null) {
      byte[] b = AuditFiles.read(src.file);
      try {
        return BundleEnvelope.parse(b);
      } catch (FormatException e) {
        try {
          return new BundleEnvelope(Bundle.parse(b), from, List.of());
        } catch (FormatException e2) {
          throw new CliException(
              ExitCodes.FAILURE, "invalid: MALFORMED_BUNDLE: " + src.file + ": " + e2.getMessage());
        }
      }
    }
    if (src.signer != null) {
      SignerClient c = new SignerClient(src.signer);
      try {
        if (epoch != null) {
          return new BundleEnvelope(
              c.bundle(dev.fleetvault.bundles.FleetArtifact.NAMESPACE, epoch),
              from,
              c.consistencyProof(from, c.info().treeSize()));
        }
        return BundleEnvelope.parse(
            c.envelope(dev.fleetvault.bundles.FleetArtifact.NAMESPACE, from));
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.UNAVAILABLE,
            "cannot fetch the bundle from " + src.signer + ": " + e.getMessage());
      } catch (FormatException e) {
        throw new CliException(ExitCodes.FAILURE, "invalid: MALFORMED_BUNDLE: " + e.getMessage());
      }
    }
    throw new CliException(ExitCodes.USAGE, "give --file, --signer or --edge");
  }

  /** {@code bundle show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      header = "Print a bundle's fleet keys, signatures and log position (nothing is verified).")
  static final class ShowCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(
        names = "--epoch",
        paramLabel = "N",
        description = "with --signer: a specific epoch (default: the latest)")
    Long epoch;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Show.bundle(out, load(source, 0, epoch).bundle());
      out.println("(not verified: use `fleetvault bundle verify`)");
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code bundle verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      header =
          "Verify a bundle against the pinned keys and the stored state; exit 0 valid, 1 invalid with the reason.",
      description =
          "Checks, in order: artifact digest, signer signature, operator counter-signature, inclusion proof, checkpoint signature, consistency with the stored checkpoint, epoch not lower than accepted, validity window.")
  static final class VerifyCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(
        names = "--trust",
        paramLabel = "FILE",
        defaultValue = AuditFiles.DEFAULT_TRUST,
        description =
            "trust file with the pinned signer and operator keys (default: ${DEFAULT-VALUE})")
    String trust;

    @Option(
        names = "--state",
        paramLabel = "FILE",
        defaultValue = AuditFiles.DEFAULT_STATE,
        description =
            "verifier state (last accepted checkpoint and epoch), updated on success (default: ${DEFAULT-VALUE})")
    String state;

    @Option(names = "--no-state", description = "verify as a fresh client; read and write no state")
    boolean noState;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      TrustAnchors t = AuditFiles.trust(trust);
      Path statePath = AuditFiles.resolve(state);
      VerifierState s = noState ? VerifierState.initial() : AuditFiles.state(statePath);
      BundleEnvelope env = load(source, s.treeSize(), null, s.epoch());
      VerificationResult r = new BundleVerifier(t, Clock.systemUTC()).verify(env, s);
      if (r instanceof VerificationResult.Rejected rej) {
        err.println("invalid: " + rej.reason() + ": " + rej.detail());
        err.flush();
        return ExitCodes.FAILURE;
      }
      VerificationResult.Accepted a = (VerificationResult.Accepted) r;
      if (!noState) {
        AuditFiles.writeAtomically(statePath, a.newState().toJson());
      }
      out.println(
          "valid: fleet "
              + a.artifact().fleetId()
              + " epoch "
              + a.artifact().epoch()
              + ", log index "
              + a.bundle().logIndex()
              + ", checkpoint size "
              + a.checkpoint().treeSize()
              + " ("
              + t.logOrigin()
              + ")");
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code bundle publish} (operator side). */
  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      header =
          "Publish a fleet artifact: signer signs and logs it, the operator counter-signs; writes the bundle.",
      description =
          "The operator config is YAML with `key_label` (the operator's ECDSA P-256 key) and an `hsm:` driver section.")
  static final class PublishCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--signer",
        required = true,
        paramLabel = "URL",
        description = "the signer's base URL")
    URI signer;

    @Option(
        names = "--artifact",
        required = true,
        paramLabel = "FILE",
        description = "fleet artifact JSON")
    Path artifact;

    @Option(
        names = "--operator-config",
        required = true,
        paramLabel = "FILE",
        description = "operator key config (YAML)")
    Path operatorConfig;

    @Option(
        names = "--trust",
        paramLabel = "FILE",
        defaultValue = AuditFiles.DEFAULT_TRUST,
        description = "trust file pinning the signer key (default: ${DEFAULT-VALUE})")
    String trust;

    @Option(names = "--out", paramLabel = "FILE", description = "write the bundle JSON here")
    Path out;

    @Override
    public Integer call() {
      PrintWriter o = spec.commandLine().getOut();
      FleetArtifact a = AuditFiles.artifact(artifact);
      TrustAnchors t = AuditFiles.trust(trust);
      try (HsmKey key = OperatorKeys.open(operatorConfig, false)) {
        if (!java.util.Arrays.equals(key.publicKey().getEncoded(), t.operatorKey().getEncoded())) {
          throw new CliException(
              ExitCodes.USAGE,
              "the operator key in the HSM is not the operator key pinned in " + trust);
        }
        Bundle b =
            new BundlePublisher(
                    new SignerClient(signer), SignerService.hsmSigner(key), t, Clock.systemUTC())
                .publish(a);
        if (out != null) {
          AuditFiles.writeAtomically(out, b.toJson());
        }
        o.println(
            "published fleet "
                + a.fleetId()
                + " epoch "
                + a.epoch()
                + " at log index "
                + b.logIndex());
        o.flush();
        return ExitCodes.OK;
      } catch (SignerClient.SignerClientException e) {
        throw new CliException(ExitCodes.FAILURE, "the signer refused: " + e.getMessage());
      } catch (IOException e) {
        throw new CliException(ExitCodes.UNAVAILABLE, "publishing failed: " + e.getMessage());
      } catch (HsmException e) {
        throw new CliException(ExitCodes.FAILURE, "operator HSM: " + e.getMessage());
      }
    }
  }

  /** {@code bundle trust}: writes a trust file. */
  @Command(
      name = "trust",
      mixinStandardHelpOptions = true,
      header =
          "Write a trust file pinning the signer key (fetched from the signer or given) and the operator key.",
      description =
          "Compare the printed signer vkey with one obtained out of band before relying on the file.")
  static final class TrustCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--signer",
        paramLabel = "URL",
        description = "fetch the signer's vkey from its /info")
    URI signer;

    @Option(
        names = "--signer-vkey",
        paramLabel = "VKEY",
        description = "the signer's note verifier key")
    String vkey;

    @Option(
        names = "--operator-pub",
        required = true,
        paramLabel = "FILE",
        description = "operator P-256 public key (PEM)")
    Path operatorPub;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        defaultValue = AuditFiles.DEFAULT_TRUST,
        description = "default: ${DEFAULT-VALUE}")
    Path out;

    @Override
    public Integer call() {
      try {
        dev.fleetvault.bundles.tlog.NoteKey k;
        if (vkey != null) {
          k = dev.fleetvault.bundles.tlog.NoteKey.parseVkey(vkey);
        } else if (signer != null) {
          k = new SignerClient(signer).info().noteKey();
        } else {
          throw new CliException(ExitCodes.USAGE, "give --signer URL or --signer-vkey VKEY");
        }
        ECPublicKey op = SignerConfig.readP256(operatorPub, "--operator-pub");
        AuditFiles.writeAtomically(out, TrustAnchors.of(k, op).toJson());
        spec.commandLine().getOut().println("signer vkey: " + k.vkey());
        spec.commandLine().getOut().println("wrote " + out);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
      } catch (IOException e) {
        throw new CliException(ExitCodes.UNAVAILABLE, e.getMessage());
      } catch (FormatException | IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      }
    }
  }

  /**
   * {@code bundle operator-key}: creates (if needed) the operator key and exports its public key.
   */
  @Command(
      name = "operator-key",
      mixinStandardHelpOptions = true,
      header =
          "Generate the operator's ECDSA P-256 key inside its HSM (if missing) and write the public key (PEM).")
  static final class OperatorKeyCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--operator-config", required = true, paramLabel = "FILE")
    Path operatorConfig;

    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path out;

    @Override
    public Integer call() {
      try (HsmKey key = OperatorKeys.open(operatorConfig, true)) {
        SignerConfig.writePem(out, key.publicKey());
        spec.commandLine().getOut().println("operator key " + key.label() + " -> " + out);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
      } catch (IOException | HsmException e) {
        throw new CliException(ExitCodes.FAILURE, e.getMessage());
      }
    }
  }

  /** Operator key config: {@code key_label} + {@code hsm:}. */
  static final class OperatorKeys {
    private OperatorKeys() {}

    static HsmKey open(Path config, boolean create) {
      try {
        return HsmKey.openKeyFile(config, KeySpec.EC_P256, create);
      } catch (IOException | IllegalArgumentException e) {
        throw new CliException(
            ExitCodes.USAGE, "bad operator config " + config + ": " + e.getMessage());
      } catch (HsmException e) {
        throw new CliException(ExitCodes.FAILURE, "operator HSM: " + e.getMessage());
      }
    }
  }
}
