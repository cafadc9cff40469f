package dev.fleetvault.cli.ceremony;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.evidence.AttestationVerifiers;
import dev.fleetvault.bundles.evidence.EvidencePolicy;
import dev.fleetvault.bundles.evidence.EvidenceReport;
import dev.fleetvault.bundles.evidence.EvidenceVerifier;
import dev.fleetvault.bundles.evidence.SpkiKeys;
import dev.fleetvault.bundles.evidence.WitnessPolicy;
import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fleetvault evidence verify}: check a deployment's evidence package end to end. */
@Command(
    name = "evidence",
    mixinStandardHelpOptions = true,
    header = "Verify deployment evidence.",
    subcommands = {EvidenceCommand.VerifyCmd.class})
public final class EvidenceCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: verify");
  }

  /** Where the fleet artifact comes from. */
  static final class ArtifactSource {
    @Option(
        names = "--bundle",
        paramLabel = "FILE|URL",
        description =
            "a validation bundle (or over-the-air envelope): its artifact must name this package, and the"
                + " bundle itself must verify against --trust (signatures, log inclusion, checkpoint)")
    String bundle;

    @Option(
        names = "--artifact",
        paramLabel = "FILE",
        description = "a fleet artifact JSON file (as `ceremony combine` writes it)")
    Path artifact;
  }

  /** {@code evidence verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      header =
          "Verify an evidence package: one line per check, then the verdict; exit 0 verified, 1 rejected.",
      description =
          "Checks the manifest and every file's SHA-256, the digest against the artifact's evidence_digest,"
              + " the transcript, each member's key statement signature, key provenance (generated in the HSM, never"
              + " extractable) and attestations per format, the witness signatures against the given witnesses, and the"
              + " artifact's members against the statements. With --bundle, also the bundle: signer and operator"
              + " signatures under the pinned keys, inclusion in the audit log and the signed checkpoint. With"
              + " --rebuild, rebuilds the node distribution from --source and demands its SHA-256 in every statement."
              + " DIR may be an http(s) URL of a published package (its manifest.json and the files it lists are"
              + " downloaded, bounded, then verified the same way).")
  static final class VerifyCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "DIR|URL",
        description = "the evidence package directory, or its http(s) URL")
    String dir;

    @ArgGroup(exclusive = true)
    ArtifactSource source;

    @Option(
        names = "--trust",
        paramLabel = "FILE|URL",
        defaultValue = "data/fleet/trust.json",
        description =
            "with --bundle: the trust file pinning the signer and operator keys (default: ${DEFAULT-VALUE})")
    String trust;

    @Option(
        names = "--witness",
        required = true,
        arity = "1..*",
        paramLabel = "NAME=PUBFILE",
        description =
            "a trusted witness and its Ed25519 public key (SPKI PEM file or URL); repeat per witness")
    List<String> witnesses;

    @Option(
        names = "--witnesses-required",
        paramLabel = "N",
        description = "distinct trusted witnesses that must have signed (default: all given)")
    Integer required;

    @Option(
        names = "--allow-soft-driver",
        description = "accept members on the software driver (DEVELOPMENT fleets only)")
    boolean allowSoft;

    @Option(
        names = "--require-attestation",
        description = "demand a hardware-rooted attestation for every member key")
    boolean requireAttestation;

    @Option(
        names = "--software-sha256",
        paramLabel = "HEX",
        description = "the expected node software hash (from a reproducible build)")
    String softwareSha256;

    @Option(
        names = "--rebuild",
        description =
            "rebuild the node distribution from --source (offline Maven, as"
                + " dist/verify-reproducible.sh does) and demand its SHA-256 in every key statement")
    boolean rebuild;

    @Option(
        names = "--source",
        paramLabel = "DIR",
        defaultValue = ".",
        description = "with --rebuild: the source checkout (default: ${DEFAULT-VALUE})")
    Path sourceTree;

    @Option(
        names = "--rev",
        paramLabel = "COMMIT",
        defaultValue = "HEAD",
        description = "with --rebuild: the commit to build (default: ${DEFAULT-VALUE})")
    String rev;

    @Override
    public Integer call() {
      Map<String, byte[]> keys = new TreeMap<>();
      EvidenceSources.namedKeys(witnesses)
          .forEach(
              (n, pem) ->
                  keys.put(
                      n,
                      SpkiKeys.ed25519Raw(EvidenceFiles.ed25519PublicSpki(pem, "--witness " + n))));
      int req = required == null ? keys.size() : required;
      if (req < 1 || req > keys.size()) {
        throw new CliException(ExitCodes.USAGE, "--witnesses-required must be 1.." + keys.size());
      }
      if (rebuild && softwareSha256 != null) {
        throw new CliException(ExitCodes.USAGE, "give --rebuild or --software-sha256, not both");
      }
      EvidencePolicy policy = EvidencePolicy.STRICT;
      if (allowSoft) {
        policy = policy.allowingSoftDriver();
      }
      if (requireAttestation) {
        policy = policy.requiringHardwareAttestation();
      }
      if (softwareSha256 != null) {
        if (!softwareSha256.matches("[0-9a-f]{64}")) {
          throw new CliException(
              ExitCodes.USAGE, "--software-sha256 wants 64 lowercase hex digits");
        }
        policy = policy.expectingSoftware(java.util.HexFormat.of().parseHex(softwareSha256));
      }
      TrustAnchors anchors =
          source != null && source.bundle != null ? EvidenceSources.trust(trust) : null;
      PrintWriter out = spec.commandLine().getOut();
      List<EvidenceReport.Check> pre = new ArrayList<>();
      Optional<FleetArtifact> artifact = Optional.empty();
      Bundle bundle = null;
      if (source != null && source.bundle != null) {
        byte[] b = EvidenceSources.read(source.bundle);
        try {
          try {
            bundle = BundleEnvelope.parse(b).bundle();
          } catch (FormatException e) {
            bundle = Bundle.parse(b);
          }
        } catch (FormatException e) {
          throw new CliException(
              ExitCodes.FAILURE, source.bundle + ": not a validation bundle: " + e.getMessage());
        }
        try {
          artifact = Optional.of(FleetArtifact.parse(bundle.artifact()));
        } catch (FormatException e) {
          pre.add(
              new EvidenceReport.Check(
                  EvidenceReport.Status.FAIL,
                  "bundle artifact",
                  "not a valid fleet artifact: " + e.getMessage()));
        }
      } else if (source != null && source.artifact != null) {
        try {
          artifact = Optional.of(FleetArtifact.parse(EvidenceFiles.read(source.artifact)));
        } catch (FormatException e) {
          throw new CliException(
              ExitCodes.FAILURE, source.artifact + ": not a fleet artifact: " + e.getMessage());
        }
      }
      Map<String, byte[]> files;
      if (EvidenceSources.isUrl(dir)) {
        files = EvidenceSources.fetchPackage(dir);
        pre.add(
            new EvidenceReport.Check(
                EvidenceReport.Status.PASS,
                "download",
                files.size() + " files from " + dir + " (the manifest and what it lists)"));
      } else {
        files = EvidenceFiles.readTree(Path.of(dir));
      }
      if (rebuild) {
        out.println(
            "rebuilding the node distribution from "
                + sourceTree
                + " ("
                + rev
                + "); this takes minutes");
        out.flush();
        try {
          DistributionRebuild.Result r = DistributionRebuild.rebuild(sourceTree, rev);
          pre.add(
              new EvidenceReport.Check(
                  EvidenceReport.Status.PASS,
                  "rebuild",
                  r.fileName()
                      + " from commit "
                      + r.commit()
                      + ": SHA-256 "
                      + SoftwareHash.hex(r.sha256())));
          policy = policy.expectingSoftware(r.sha256());
        } catch (DistributionRebuild.RebuildException e) {
          pre.add(new EvidenceReport.Check(EvidenceReport.Status.FAIL, "rebuild", e.getMessage()));
        }
      }
      EvidenceReport r =
          new EvidenceVerifier(new WitnessPolicy(keys, req), policy, AttestationVerifiers.load())
              .verify(files, artifact);
      List<EvidenceReport.Check> all = new ArrayList<>(pre);
      all.addAll(r.checks());
      if (bundle != null) {
        all.addAll(BundleChecks.verify(bundle, anchors, Clock.systemUTC()));
      }
      EvidenceReport total = new EvidenceReport(all, r.evidenceDigest());
      total.checks().forEach(out::println);
      out.println(total.verdict());
      out.flush();
      return total.verified() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }
}
