package dev.fleetvault.cli.ceremony;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.evidence.AttestationVerifiers;
import dev.fleetvault.bundles.evidence.EvidencePolicy;
import dev.fleetvault.bundles.evidence.EvidenceReport;
import dev.fleetvault.bundles.evidence.EvidenceVerifier;
import dev.fleetvault.bundles.evidence.SpkiKeys;
import dev.fleetvault.bundles.evidence.WitnessPolicy;
import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ExitCodes;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code fleetvault evidence verify}: check a deployment's evidence package end to end. */
@Command(name = "evidence", mixinStandardHelpOptions = true, header = "Verify deployment evidence.",
        subcommands = {EvidenceCommand.VerifyCmd.class})
public final class EvidenceCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: verify");
    }

    /** Where the fleet artifact comes from. */
    static final class ArtifactSource {
        @Option(names = "--bundle", paramLabel = "FILE", description = "a validation bundle (or over-the-air envelope) JSON file")
        Path bundle;
        @Option(names = "--artifact", paramLabel = "FILE", description = "a fleet artifact JSON file (as `ceremony combine` writes it)")
        Path artifact;
    }

    /** {@code evidence verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            header = "Verify an evidence package: one line per check, then the verdict; exit 0 verified, 1 rejected.",
            description = "Checks the manifest and every file's SHA-256, the digest against the artifact's evidence_digest,"
                    + " the transcript, each member's key statement signature, key provenance (generated in the HSM, never"
                    + " extractable) and attestations per format, the witness signatures against the given witnesses, and the"
                    + " artifact's members against the statements. The bundle's own signatures and log inclusion are checked"
                    + " by `fleetvault bundle verify`.")
    static final class VerifyCmd implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "DIR", description = "the evidence package directory")
        Path dir;
        @ArgGroup(exclusive = true)
        ArtifactSource source;
        @Option(names = "--witness", required = true, arity = "1..*", paramLabel = "NAME=PUBFILE",
                description = "a trusted witness and its Ed25519 public key (SPKI PEM); repeat per witness")
        List<String> witnesses;
        @Option(names = "--witnesses-required", paramLabel = "N", description = "distinct trusted witnesses that must have signed (default: all given)")
        Integer required;
        @Option(names = "--allow-soft-driver", description = "accept members on the software driver (DEVELOPMENT fleets only)")
        boolean allowSoft;
        @Option(names = "--require-attestation", description = "demand a hardware-rooted attestation for every member key")
        boolean requireAttestation;
        @Option(names = "--software-sha256", paramLabel = "HEX", description = "the expected node software hash (from a reproducible build)")
        String softwareSha256;

        @Override
        public Integer call() {
            Map<String, byte[]> keys = new TreeMap<>();
            EvidenceFiles.namedPaths(witnesses, "--witness").forEach((n, p) ->
                    keys.put(n, SpkiKeys.ed25519Raw(EvidenceFiles.ed25519PublicSpki(p))));
            int req = required == null ? keys.size() : required;
            if (req < 1 || req > keys.size()) {
                throw new CliException(ExitCodes.USAGE, "--witnesses-required must be 1.." + keys.size());
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
                    throw new CliException(ExitCodes.USAGE, "--software-sha256 wants 64 lowercase hex digits");
                }
                policy = policy.expectingSoftware(java.util.HexFormat.of().parseHex(softwareSha256));
            }
            Optional<FleetArtifact> artifact = Optional.empty();
            if (source != null && source.bundle != null) {
                byte[] b = EvidenceFiles.read(source.bundle);
                try {
                    Bundle bundle;
                    try {
                        bundle = BundleEnvelope.parse(b).bundle();
                    } catch (FormatException e) {
                        bundle = Bundle.parse(b);
                    }
                    artifact = Optional.of(FleetArtifact.parse(bundle.artifact()));
                } catch (FormatException e) {
                    throw new CliException(ExitCodes.FAILURE, source.bundle + ": not a validation bundle: " + e.getMessage());
                }
            } else if (source != null && source.artifact != null) {
                try {
                    artifact = Optional.of(FleetArtifact.parse(EvidenceFiles.read(source.artifact)));
                } catch (FormatException e) {
                    throw new CliException(ExitCodes.FAILURE, source.artifact + ": not a fleet artifact: " + e.getMessage());
                }
            }
            Map<String, byte[]> files = EvidenceFiles.readTree(dir);
            EvidenceReport r = new EvidenceVerifier(new WitnessPolicy(keys, req), policy, AttestationVerifiers.load())
                    .verify(files, artifact);
            PrintWriter out = spec.commandLine().getOut();
            r.checks().forEach(out::println);
            out.println(r.verdict());
            out.flush();
            return r.verified() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
