package dev.fleetvault.bundles;

import dev.fleetvault.bundles.tlog.Checkpoint;

/**
 * The outcome of {@link BundleVerifier#verify}: accepted with the new state to persist, or rejected
 * with a reason.
 */
public sealed interface VerificationResult
    permits VerificationResult.Accepted, VerificationResult.Rejected {

  /** Whether the bundle was accepted. */
  default boolean accepted() {
    return this instanceof Accepted;
  }

  /**
   * Every check passed.
   *
   * @param artifact the verified fleet artifact (safe to seal to)
   * @param bundle the verified bundle
   * @param checkpoint the verified checkpoint
   * @param newState the state the client must persist before using the artifact
   */
  record Accepted(
      FleetArtifact artifact, Bundle bundle, Checkpoint checkpoint, VerifierState newState)
      implements VerificationResult {}

  /**
   * A check failed.
   *
   * @param reason which check
   * @param detail human-readable detail (public values only)
   */
  record Rejected(Rejection reason, String detail) implements VerificationResult {
    @Override
    public String toString() {
      return reason + ": " + detail;
    }
  }
}
