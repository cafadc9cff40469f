package dev.fleetvault.cli.ceremony;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.BundleVerifier;
import dev.fleetvault.bundles.Rejection;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.VerificationResult;
import dev.fleetvault.bundles.VerifierState;
import dev.fleetvault.bundles.evidence.EvidenceReport.Check;
import dev.fleetvault.bundles.evidence.EvidenceReport.Status;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundle half of {@code evidence verify --bundle}: {@link BundleVerifier} as a fresh client (no
 * stored checkpoint) against the pinned keys, reported as check lines. A bundle that verifies in
 * every respect but whose validity window has passed (or not begun) is a {@code WARN}: it is still
 * the logged record of that epoch, which is what an auditor checks; a client would refuse it.
 */
final class BundleChecks {
  private BundleChecks() {}

  static List<Check> verify(Bundle bundle, TrustAnchors trust, Clock clock) {
    List<Check> out = new ArrayList<>();
    VerificationResult r =
        new BundleVerifier(trust, clock)
            .verify(new BundleEnvelope(bundle, 0, List.of()), VerifierState.initial());
    if (r instanceof VerificationResult.Rejected rej) {
      if (rej.reason() == Rejection.EXPIRED || rej.reason() == Rejection.NOT_YET_VALID) {
        out.add(
            new Check(
                Status.PASS,
                "bundle",
                "signed by the pinned signer, counter-signed by the pinned operator,"
                    + " included at log index "
                    + bundle.logIndex()
                    + " under a checkpoint signed by "
                    + trust.logOrigin()));
        out.add(
            new Check(
                Status.WARN,
                "bundle validity",
                rej.reason()
                    + ": "
                    + rej.detail()
                    + " (a client would no longer accept it; the log record stands)"));
        return out;
      }
      out.add(
          new Check(
              Status.FAIL, "bundle", rej.reason() + ": " + rej.detail() + explain(rej.reason())));
      return out;
    }
    VerificationResult.Accepted a = (VerificationResult.Accepted) r;
    out.add(
        new Check(
            Status.PASS,
            "bundle artifact",
            "SHA-256 of the artifact is the signed digest (fleet "
                + a.artifact().fleetId()
                + " epoch "
                + a.artifact().epoch()
                + ")"));
    out.add(
        new Check(
            Status.PASS,
            "bundle signatures",
            "signer "
                + trust.signerKey().name()
                + " and operator"
                + " counter-signature verify under the pinned keys"));
    out.add(
        new Check(
            Status.PASS,
            "bundle log inclusion",
            "log index "
                + bundle.logIndex()
                + " is included in the"
                + " checkpoint of size "
                + a.checkpoint().treeSize()
                + ", signed by "
                + trust.logOrigin()
                + (trust.witnessQuorum() > 0
                    ? " and cosigned by " + trust.witnessQuorum() + " witnesses"
                    : "")));
    out.add(new Check(Status.PASS, "bundle validity", "valid until " + a.artifact().notAfter()));
    return out;
  }

  private static String explain(Rejection r) {
    return switch (r) {
      case INCLUSION_PROOF_MISMATCH, INCLUSION_PROOF_WRONG_LENGTH, LOG_INDEX_OUT_OF_RANGE ->
          " (the bundle is not in the audit log the checkpoint commits to)";
      case SIGNER_SIGNATURE_INVALID -> " (not signed by the signer pinned in the trust file)";
      case OPERATOR_SIGNATURE_INVALID ->
          " (not counter-signed by the operator pinned in the trust file)";
      case CHECKPOINT_SIGNATURE_INVALID, CHECKPOINT_WRONG_ORIGIN ->
          " (the checkpoint is not the pinned log's)";
      default -> "";
    };
  }
}
