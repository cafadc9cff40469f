package dev.fleetvault.bundles.evidence;

import dev.fleetvault.bundles.FleetArtifact;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a verifier (or a client, before it seals anything to a fleet) demands of a fleet and its
 * evidence. {@link #STRICT} is the default: an artifact must carry an evidence digest and a
 * majority threshold, and every member key must come with the device's proof that it was generated
 * inside an HSM and can never leave it; keys in the software driver are refused. {@link
 * #development()} relaxes exactly the parts a local development fleet cannot meet.
 *
 * @param allowEmptyEvidenceDigest accept an artifact whose {@code evidence_digest} is empty
 * @param requireMajorityThreshold refuse a threshold other than {@code ⌊n/2⌋ + 1}
 * @param allowSoftDriver accept members whose keys are in the software driver (development only)
 * @param requireKeyProvenance refuse keys without device proof of on-device generation and
 *     non-extractability
 * @param requireHardwareAttestation refuse keys without an attestation that chains to a hardware
 *     vendor root
 * @param expectedSoftwareSha256 when present, every member must run exactly this software
 */
public record EvidencePolicy(
    boolean allowEmptyEvidenceDigest,
    boolean requireMajorityThreshold,
    boolean allowSoftDriver,
    boolean requireKeyProvenance,
    boolean requireHardwareAttestation,
    Optional<byte[]> expectedSoftwareSha256) {
  /** The default policy (on unless a caller relaxes it). */
  public static final EvidencePolicy STRICT =
      new EvidencePolicy(false, true, false, true, false, Optional.empty());

  /** The local development fleet: empty evidence digest and the soft driver allowed. */
  public static EvidencePolicy development() {
    return new EvidencePolicy(true, true, true, true, false, Optional.empty());
  }

  /** This policy with the software driver allowed (development ceremonies). */
  public EvidencePolicy allowingSoftDriver() {
    return new EvidencePolicy(
        allowEmptyEvidenceDigest,
        requireMajorityThreshold,
        true,
        requireKeyProvenance,
        requireHardwareAttestation,
        expectedSoftwareSha256);
  }

  /** This policy demanding a hardware-rooted attestation for every key. */
  public EvidencePolicy requiringHardwareAttestation() {
    return new EvidencePolicy(
        allowEmptyEvidenceDigest,
        requireMajorityThreshold,
        allowSoftDriver,
        requireKeyProvenance,
        true,
        expectedSoftwareSha256);
  }

  /** This policy pinning the software hash. */
  public EvidencePolicy expectingSoftware(byte[] sha256) {
    return new EvidencePolicy(
        allowEmptyEvidenceDigest,
        requireMajorityThreshold,
        allowSoftDriver,
        requireKeyProvenance,
        requireHardwareAttestation,
        Optional.of(sha256.clone()));
  }

  /** The majority threshold of {@code n} members. */
  public static int majority(int n) {
    return n / 2 + 1;
  }

  /**
   * The client-side artifact checks (no evidence needed): what this policy refuses about {@code
   * artifact}, one message per problem; empty when acceptable.
   */
  public List<String> checkArtifact(FleetArtifact artifact) {
    List<String> problems = new ArrayList<>();
    if (!allowEmptyEvidenceDigest && artifact.evidenceDigest().length == 0) {
      problems.add(
          "artifact "
              + artifact.fleetId()
              + " epoch "
              + artifact.epoch()
              + " has an empty evidence_digest: no deployment evidence was published for it");
    }
    int n = artifact.members().size();
    if (requireMajorityThreshold && artifact.threshold() != majority(n)) {
      problems.add(
          "artifact threshold "
              + artifact.threshold()
              + " is not the majority of its "
              + n
              + " members ("
              + majority(n)
              + ")");
    }
    return problems;
  }
}
