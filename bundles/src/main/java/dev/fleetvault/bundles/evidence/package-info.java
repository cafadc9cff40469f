/**
 * Deployment evidence: the member key statements a key ceremony produces, the transcript witnesses
 * sign, the evidence package and its manifest (whose SHA-256 is the fleet artifact's {@code
 * evidence_digest}), attestation verifier plugins, and the verifier with its policy. No I/O:
 * callers pass bytes.
 */
package dev.fleetvault.bundles.evidence;
