package dev.fleetvault.bundles;

import dev.fleetvault.bundles.VerificationResult.Accepted;
import dev.fleetvault.bundles.VerificationResult.Rejected;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.tlog.Checkpoint;
import dev.fleetvault.bundles.tlog.Cosignature;
import dev.fleetvault.bundles.tlog.MerkleHash;
import dev.fleetvault.bundles.tlog.MerkleProofs;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.bundles.tlog.NoteVerifier;
import dev.fleetvault.bundles.tlog.SignedNote;
import dev.fleetvault.protocol.sig.EcdsaP256;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;

/**
 * Verifies an over-the-air bundle against the pinned {@link TrustAnchors} and the client's stored
 * {@link VerifierState}, in this exact order (the first failure is reported):
 *
 * <ol>
 *   <li>artifact digest: the artifact is canonical, hashes to the signed digest, and its namespace
 *       and epoch equal the signed ones;
 *   <li>signer signature (pinned Ed25519 key) over the {@link SignatureMessage} bytes;
 *   <li>operator counter-signature (pinned P-256 key) over the signer's signature bytes;
 *   <li>inclusion proof of the message (the log entry) at its index against the checkpoint;
 *   <li>checkpoint signature: origin equals the pinned origin, the pinned signer key signed it, and
 *       the witness quorum (if any) cosigned it;
 *   <li>consistency with the stored checkpoint (same size ⇒ same root, else a valid RFC 9162
 *       consistency proof from the stored size);
 *   <li>epoch not lower than the last accepted (and the same epoch only with the same digest);
 *   <li>validity window contains now.
 * </ol>
 *
 * <p>Guarantees: pure function of its inputs and the clock; no I/O; never throws for bad input
 * (every failure is a {@link Rejected} with a distinct {@link Rejection}); the returned {@link
 * Accepted#newState()} must be persisted by the caller before it seals to the fleet.
 */
public final class BundleVerifier {
  private final TrustAnchors trust;
  private final Clock clock;

  /**
   * @param trust the pinned keys
   * @param clock time source for the validity window
   */
  public BundleVerifier(TrustAnchors trust, Clock clock) {
    this.trust = trust;
    this.clock = clock;
  }

  /** Parses and verifies the over-the-air envelope bytes. */
  public VerificationResult verify(byte[] envelopeJson, VerifierState state) {
    BundleEnvelope env;
    try {
      env = BundleEnvelope.parse(envelopeJson);
    } catch (FormatException e) {
      return new Rejected(Rejection.MALFORMED_BUNDLE, e.getMessage());
    }
    return verify(env, state);
  }

  /** Verifies an envelope (bundle + consistency proof from the stored size). */
  public VerificationResult verify(BundleEnvelope env, VerifierState state) {
    Bundle b = env.bundle();
    SignatureMessage msg = b.message();

    // 1. artifact digest
    FleetArtifact artifact;
    try {
      artifact = FleetArtifact.parse(b.artifact());
    } catch (FormatException e) {
      return new Rejected(Rejection.ARTIFACT_MALFORMED, e.getMessage());
    }
    if (!MessageDigest.isEqual(Crypto.sha256(b.artifact()), msg.digest())) {
      return new Rejected(
          Rejection.DIGEST_MISMATCH, "SHA-256 of the artifact differs from the signed digest");
    }
    if (!FleetArtifact.NAMESPACE.equals(msg.namespace())) {
      return new Rejected(Rejection.WRONG_NAMESPACE, "signed namespace is " + msg.namespace());
    }
    if (artifact.epoch() != msg.epoch()) {
      return new Rejected(
          Rejection.EPOCH_MISMATCH,
          "signed epoch " + msg.epoch() + " but artifact epoch " + artifact.epoch());
    }

    // 2. signer signature
    byte[] messageBytes = msg.encode();
    if (!Crypto.ed25519Verify(trust.signerKey().publicKey(), messageBytes, b.signerSignature())) {
      return new Rejected(
          Rejection.SIGNER_SIGNATURE_INVALID,
          "signer signature does not verify under the pinned key");
    }

    // 3. operator counter-signature
    if (!EcdsaP256.verify(trust.operatorKey(), b.signerSignature(), b.operatorSignature())) {
      return new Rejected(
          Rejection.OPERATOR_SIGNATURE_INVALID,
          "operator counter-signature does not verify under the pinned key");
    }

    // 4. inclusion proof against the checkpoint
    SignedNote note;
    Checkpoint cp;
    try {
      note = SignedNote.parse(b.checkpoint());
      cp = Checkpoint.fromNoteText(note.text());
    } catch (FormatException e) {
      return new Rejected(Rejection.CHECKPOINT_MALFORMED, e.getMessage());
    }
    if (b.logIndex() >= cp.treeSize()) {
      return new Rejected(
          Rejection.LOG_INDEX_OUT_OF_RANGE,
          "log index " + b.logIndex() + " not below tree size " + cp.treeSize());
    }
    byte[] leaf = MerkleHash.leaf(messageBytes);
    byte[] implied =
        MerkleProofs.rootFromInclusionProof(b.logIndex(), cp.treeSize(), leaf, b.inclusionProof());
    if (implied == null) {
      return new Rejected(
          Rejection.INCLUSION_PROOF_WRONG_LENGTH,
          b.inclusionProof().size()
              + " hashes is the wrong length for index "
              + b.logIndex()
              + " in a tree of "
              + cp.treeSize());
    }
    if (!MessageDigest.isEqual(implied, cp.rootHash())) {
      return new Rejected(
          Rejection.INCLUSION_PROOF_MISMATCH,
          "inclusion proof does not lead to the checkpoint root");
    }

    // 5. checkpoint signature (and witnesses)
    if (!cp.origin().equals(trust.logOrigin())) {
      return new Rejected(Rejection.CHECKPOINT_WRONG_ORIGIN, "checkpoint origin is " + cp.origin());
    }
    NoteVerifier.Outcome o = NoteVerifier.verify(note, trust.signerKey());
    if (o != NoteVerifier.Outcome.VERIFIED) {
      return new Rejected(Rejection.CHECKPOINT_SIGNATURE_INVALID, "checkpoint signature: " + o);
    }
    if (trust.witnessQuorum() > 0) {
      // distinct witness keys only (TrustAnchors already refuses a key listed twice)
      java.util.Set<String> cosigners = new java.util.HashSet<>();
      for (NoteKey w : trust.witnesses()) {
        if (Cosignature.verify(note, w) >= 0) {
          cosigners.add(java.util.HexFormat.of().formatHex(w.publicKey()));
        }
      }
      int ok = cosigners.size();
      if (ok < trust.witnessQuorum()) {
        return new Rejected(
            Rejection.WITNESS_QUORUM_NOT_MET,
            ok + " valid witness cosignatures, " + trust.witnessQuorum() + " required");
      }
    }

    // 6. consistency with the stored checkpoint
    if (cp.treeSize() < state.treeSize()) {
      return new Rejected(
          Rejection.CHECKPOINT_ROLLBACK,
          "checkpoint size " + cp.treeSize() + " is below the stored size " + state.treeSize());
    }
    if (cp.treeSize() == state.treeSize()) {
      if (!MessageDigest.isEqual(cp.rootHash(), state.rootHash())) {
        return new Rejected(
            Rejection.SPLIT_VIEW, "two different roots for tree size " + cp.treeSize());
      }
    } else {
      if (env.consistencyFrom() != state.treeSize()) {
        return new Rejected(
            Rejection.CONSISTENCY_WRONG_BASE,
            "consistency proof from size "
                + env.consistencyFrom()
                + " but the stored size is "
                + state.treeSize());
      }
      if (!MerkleProofs.verifyConsistency(
          state.treeSize(),
          cp.treeSize(),
          state.rootHash(),
          cp.rootHash(),
          env.consistencyProof())) {
        return new Rejected(
            Rejection.CONSISTENCY_PROOF_INVALID,
            "no valid consistency proof from size " + state.treeSize() + " to " + cp.treeSize());
      }
    }

    // 7. epoch monotonicity
    if (msg.epoch() < state.epoch()) {
      return new Rejected(
          Rejection.EPOCH_ROLLBACK,
          "epoch " + msg.epoch() + " is below the accepted " + state.epoch());
    }
    if (msg.epoch() == state.epoch() && !Arrays.equals(msg.digest(), state.digest())) {
      return new Rejected(
          Rejection.EPOCH_REUSED, "epoch " + msg.epoch() + " was accepted with another artifact");
    }

    // 8. validity window
    Instant now = clock.instant();
    if (now.isBefore(artifact.notBefore())) {
      return new Rejected(Rejection.NOT_YET_VALID, "valid from " + artifact.notBefore());
    }
    if (!now.isBefore(artifact.notAfter())) {
      return new Rejected(Rejection.EXPIRED, "expired at " + artifact.notAfter());
    }

    VerifierState next = new VerifierState(cp.treeSize(), cp.rootHash(), msg.epoch(), msg.digest());
    return new Accepted(artifact, b, cp, next);
  }
}
