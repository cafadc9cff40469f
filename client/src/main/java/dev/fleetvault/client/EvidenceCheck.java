package dev.fleetvault.client;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.evidence.AttestationVerifiers;
import dev.fleetvault.bundles.evidence.EvidencePolicy;
import dev.fleetvault.bundles.evidence.EvidenceReport;
import dev.fleetvault.bundles.evidence.EvidenceVerifier;
import dev.fleetvault.bundles.evidence.WitnessPolicy;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * The optional part of the client's evidence policy that needs the evidence package itself: before
 * the client seals to a newly seen fleet artifact, it fetches the package the artifact's {@code
 * evidence_digest} names and verifies it with {@link EvidenceVerifier} (manifest and files, member
 * statement signatures, key provenance — generated in the HSM, never extractable — attestations,
 * witnesses against the app's own witness keys, members against the artifact). Any failed check
 * refuses the artifact.
 *
 * <p>Guarantees: the witness keys come from the app, never from the package or the edge; a package
 * the fetcher cannot deliver refuses the artifact (nothing is sealed on missing evidence).
 *
 * @param fetcher where packages come from (e.g. the operator's transparency site)
 * @param witnesses the witnesses the app trusts and how many must have signed
 */
public record EvidenceCheck(Fetcher fetcher, WitnessPolicy witnesses) {
  /**
   * Fetches the evidence package of an artifact: every file by relative path, including {@code
   * manifest.json}.
   */
  @FunctionalInterface
  public interface Fetcher {
    /**
     * @param artifact the artifact whose {@code evidence_digest} names the package
     * @return the package's files
     * @throws IOException when the package cannot be had
     */
    Map<String, byte[]> fetch(FleetArtifact artifact) throws IOException;
  }

  /** Validates. */
  public EvidenceCheck {
    Objects.requireNonNull(fetcher, "fetcher");
    Objects.requireNonNull(witnesses, "witnesses");
  }

  /** The first failed check, or null when the package verifies under {@code policy}. */
  String refusal(FleetArtifact artifact, EvidencePolicy policy) {
    Map<String, byte[]> files;
    try {
      files = fetcher.fetch(artifact);
    } catch (IOException | RuntimeException e) {
      return "the evidence package of "
          + artifact.fleetId()
          + " epoch "
          + artifact.epoch()
          + " cannot be fetched: "
          + e.getMessage();
    }
    if (files == null) {
      return "no evidence package for " + artifact.fleetId() + " epoch " + artifact.epoch();
    }
    EvidenceReport r =
        new EvidenceVerifier(witnesses, policy, AttestationVerifiers.load())
            .verify(files, java.util.Optional.of(artifact));
    if (r.verified()) {
      return null;
    }
    EvidenceReport.Check c = r.failures().get(0);
    return "evidence "
        + c.what()
        + ": "
        + c.detail()
        + " ("
        + r.failures().size()
        + " checks failed)";
  }
}
