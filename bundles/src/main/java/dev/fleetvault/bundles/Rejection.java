package dev.fleetvault.bundles;

/**
 * Why {@link BundleVerifier} refused a bundle; one value per check, listed in the order the checks
 * run. A client that gets any of these seals nothing to the fleet.
 */
public enum Rejection {
  /** The envelope or bundle is not well-formed JSON of the bundle format. */
  MALFORMED_BUNDLE,
  /** Step 1: the artifact is not canonical JSON of a valid fleet artifact. */
  ARTIFACT_MALFORMED,
  /** Step 1: SHA-256 of the artifact differs from the signed digest. */
  DIGEST_MISMATCH,
  /** Step 1: the signed namespace is not {@code fleetvault.fleet_keys.v1}. */
  WRONG_NAMESPACE,
  /**
   * Step 1: the signed epoch differs from the artifact's epoch (e.g. a digest replayed under a new
   * epoch).
   */
  EPOCH_MISMATCH,
  /** Step 2: the signer's Ed25519 signature does not verify under the pinned signer key. */
  SIGNER_SIGNATURE_INVALID,
  /** Step 3: the operator's counter-signature does not verify under the pinned operator key. */
  OPERATOR_SIGNATURE_INVALID,
  /** Step 4: the checkpoint is not a well-formed signed note with a tlog checkpoint body. */
  CHECKPOINT_MALFORMED,
  /** Step 4: the log index is not inside the checkpoint's tree. */
  LOG_INDEX_OUT_OF_RANGE,
  /** Step 4: the inclusion proof has the wrong number of hashes for this index and tree size. */
  INCLUSION_PROOF_WRONG_LENGTH,
  /** Step 4: the inclusion proof does not lead to the checkpoint's root hash. */
  INCLUSION_PROOF_MISMATCH,
  /** Step 5: the checkpoint's origin is not the pinned log origin. */
  CHECKPOINT_WRONG_ORIGIN,
  /** Step 5: no valid signature by the pinned signer key on the checkpoint (or a bad one). */
  CHECKPOINT_SIGNATURE_INVALID,
  /** Step 5: fewer valid witness cosignatures than the pinned quorum. */
  WITNESS_QUORUM_NOT_MET,
  /** Step 6: the checkpoint is smaller than the one the client stored. */
  CHECKPOINT_ROLLBACK,
  /** Step 6: a different root hash for the tree size the client stored (split view). */
  SPLIT_VIEW,
  /** Step 6: the consistency proof starts at a size other than the client's stored size. */
  CONSISTENCY_WRONG_BASE,
  /** Step 6: the consistency proof does not prove the stored tree is a prefix of this one. */
  CONSISTENCY_PROOF_INVALID,
  /** Step 7: the epoch is lower than the last epoch the client accepted. */
  EPOCH_ROLLBACK,
  /** Step 7: the same epoch as the stored one but a different artifact. */
  EPOCH_REUSED,
  /** Step 8: the artifact's validity window has not started. */
  NOT_YET_VALID,
  /** Step 8: the artifact's validity window has ended (stale bundle). */
  EXPIRED
}
