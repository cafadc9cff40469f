package dev.fleetvault.client;

import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.BundleVerifier;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.VerificationResult;
import dev.fleetvault.bundles.VerifierState;
import dev.fleetvault.bundles.evidence.EvidencePolicy;
import dev.fleetvault.bundles.tlog.Checkpoint;
import dev.fleetvault.bundles.tlog.SignedNote;
import dev.fleetvault.protocol.flow.MemberKey;
import dev.fleetvault.protocol.flow.RealmConfig;
import dev.fleetvault.protocol.wire.StatusResponse;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The realm from the fleet's validation bundle, verified before anything is sealed (DESIGN.md "Over
 * the air"): the app pins only the signer's and the operator's root keys ({@link TrustAnchors});
 * the edge's status answer carries the bundle envelope; {@link BundleVerifier} checks both
 * signatures, the digest, the inclusion proof, epoch monotonicity and consistency with the last
 * checkpoint this client saw.
 *
 * <p><b>Guarantees.</b> A rejected or missing bundle throws {@link FleetvaultException} with {@link
 * FleetvaultException.Code#VERIFICATION_FAILED} naming the rejection, and the client seals nothing.
 * An accepted bundle's new verifier state is written to the state file atomically (temporary file,
 * fsync, rename) <em>before</em> the realm is returned, so a rollback is caught even across
 * restarts. Member index {@code i} (the Shamir x-coordinate) is the member's position in the
 * artifact (members are sorted by id), which must match the fleet configuration's member order.
 *
 * <p><b>Evidence policy (on by default).</b> After the bundle verifies and before anything is
 * sealed, the artifact must pass {@link EvidencePolicy#STRICT}: its {@code evidence_digest} is not
 * empty (deployment evidence was published for it) and its threshold is the majority of its
 * members; with an {@link EvidenceCheck} the evidence package itself is fetched and verified too
 * (e.g. member keys must carry the HSM's proof that they were generated inside it and can never
 * leave it). A refused artifact throws {@link FleetvaultException.Code#VERIFICATION_FAILED} naming
 * what failed, and the verifier state is not advanced. The only relaxation is {@link
 * EvidencePolicy#development()} for the local development fleet, and it is accepted only together
 * with development trust anchors ({@link TrustAnchors#development()}, which only the local signer
 * writes): production anchors with a relaxed policy are refused when the source is created, so no
 * app can opt out by accident.
 */
public final class BundleRealmSource implements RealmSource {
  private final BundleVerifier verifier;
  private final Path stateFile;
  private final String pinParams;
  private final EvidencePolicy policy;
  private final EvidenceCheck evidence;
  private VerifierState state;

  private BundleRealmSource(
      BundleVerifier verifier,
      Path stateFile,
      String pinParams,
      VerifierState state,
      EvidencePolicy policy,
      EvidenceCheck evidence) {
    this.verifier = verifier;
    this.stateFile = stateFile;
    this.pinParams = pinParams;
    this.state = state;
    this.policy = policy;
    this.evidence = evidence;
  }

  /**
   * @param trust the pinned signer and operator keys
   * @param stateFile where the verifier state is kept between runs (created on first use), or null
   *     to keep it in memory
   * @param pinParams the Argon2id parameter set for new registrations
   * @param clock the clock bundle validity is checked against
   * @throws IOException when the state file exists but cannot be read
   */
  public static BundleRealmSource create(
      TrustAnchors trust, Path stateFile, String pinParams, Clock clock) throws IOException {
    return create(trust, stateFile, pinParams, clock, EvidencePolicy.STRICT, null);
  }

  /**
   * As {@link #create(TrustAnchors, Path, String, Clock)} with an explicit evidence policy and,
   * optionally, the evidence package check.
   *
   * @param policy {@link EvidencePolicy#STRICT} (or stricter); {@link EvidencePolicy#development()}
   *     only with development trust anchors
   * @param evidence fetch and verify each new artifact's evidence package, or null for the artifact
   *     checks only
   * @throws IllegalArgumentException when a policy that accepts an empty evidence digest or the
   *     software driver is combined with production trust anchors
   */
  public static BundleRealmSource create(
      TrustAnchors trust,
      Path stateFile,
      String pinParams,
      Clock clock,
      EvidencePolicy policy,
      EvidenceCheck evidence)
      throws IOException {
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(pinParams, "pinParams");
    Objects.requireNonNull(policy, "policy");
    if ((policy.allowEmptyEvidenceDigest()
            || policy.allowSoftDriver()
            || !policy.requireMajorityThreshold())
        && !trust.development()) {
      throw new IllegalArgumentException(
          "a relaxed evidence policy (empty evidence digest, software driver or"
              + " non-majority threshold) is only accepted with development trust anchors (the local fleet's trust"
              + " file); these anchors pin "
              + trust.logOrigin());
    }
    VerifierState state =
        stateFile != null && Files.exists(stateFile)
            ? VerifierState.parse(Files.readAllBytes(stateFile))
            : VerifierState.initial();
    return new BundleRealmSource(
        new BundleVerifier(trust, clock), stateFile, pinParams, state, policy, evidence);
  }

  /** The evidence policy artifacts must pass. */
  public EvidencePolicy policy() {
    return policy;
  }

  @Override
  public boolean needsStatus() {
    return true;
  }

  @Override
  public synchronized long knownEpoch() {
    return state.epoch();
  }

  @Override
  public synchronized long knownTreeSize() {
    return state.treeSize();
  }

  /** The verifier state after the last accepted bundle. */
  public synchronized VerifierState state() {
    return state;
  }

  @Override
  public RealmConfig realm(StatusResponse status) {
    byte[] envelope = status == null ? new byte[0] : status.getValidationBundle().toByteArray();
    return realmFromEnvelope(envelope);
  }

  /**
   * Verifies a bundle envelope (its JSON bytes), records the new state, and returns the realm it
   * names.
   */
  public synchronized RealmConfig realmFromEnvelope(byte[] envelopeJson) {
    if (envelopeJson.length == 0) {
      throw new FleetvaultException(
          FleetvaultException.Code.VERIFICATION_FAILED,
          "the edge sent no validation bundle; nothing is sealed without a verified bundle");
    }
    VerificationResult r = verifier.verify(alreadyCaughtUp(envelopeJson), state);
    if (r instanceof VerificationResult.Rejected rej) {
      throw new FleetvaultException(
          FleetvaultException.Code.VERIFICATION_FAILED,
          "validation bundle rejected: " + rej.reason() + " (" + rej.detail() + ")");
    }
    VerificationResult.Accepted a = (VerificationResult.Accepted) r;
    FleetArtifact artifact = a.artifact();
    refuseByPolicy(artifact, a.newState());
    List<MemberKey> keys = new ArrayList<>();
    List<FleetMember> members = artifact.members();
    for (int i = 0; i < members.size(); i++) {
      keys.add(MemberKey.of(i + 1, members.get(i).hpkePublicKey()));
    }
    RealmConfig realm = RealmConfig.of(artifact.fleetId(), artifact.threshold(), keys, pinParams);
    persist(a.newState());
    state = a.newState();
    return realm;
  }

  /** Throws when the evidence policy refuses the artifact; nothing is recorded then. */
  private void refuseByPolicy(FleetArtifact artifact, VerifierState next) {
    List<String> problems = policy.checkArtifact(artifact);
    if (!problems.isEmpty()) {
      throw new FleetvaultException(
          FleetvaultException.Code.VERIFICATION_FAILED,
          "fleet artifact refused by the evidence policy: " + String.join("; ", problems));
    }
    // The package is checked once per artifact: a later session for the same epoch and digest
    // already passed.
    if (evidence != null
        && !(next.epoch() == state.epoch()
            && java.util.Arrays.equals(next.digest(), state.digest()))) {
      String why = evidence.refusal(artifact, policy);
      if (why != null) {
        throw new FleetvaultException(
            FleetvaultException.Code.VERIFICATION_FAILED,
            "fleet artifact refused by the evidence policy: " + why);
      }
    }
  }

  /**
   * Two sessions may ask for the bundle with the same tree size; when the other one already
   * accepted the checkpoint this envelope carries, the proof from the older size is moot: check it
   * with an empty consistency proof from the size now held (the verifier then requires the very
   * same root).
   */
  private byte[] alreadyCaughtUp(byte[] envelopeJson) {
    try {
      BundleEnvelope env = BundleEnvelope.parse(envelopeJson);
      long size =
          Checkpoint.fromNoteText(SignedNote.parse(env.bundle().checkpoint()).text()).treeSize();
      if (env.consistencyFrom() < state.treeSize() && size == state.treeSize()) {
        return new BundleEnvelope(env.bundle(), state.treeSize(), List.of()).toJson();
      }
    } catch (RuntimeException e) {
      // malformed: the verifier says why
    }
    return envelopeJson;
  }

  private void persist(VerifierState next) {
    if (stateFile == null) {
      return;
    }
    try {
      Path dir = stateFile.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = dir.resolve(stateFile.getFileName() + ".tmp");
      Files.write(tmp, next.toJson());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(
          tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new FleetvaultException(
          FleetvaultException.Code.INTERNAL,
          "cannot record the verified bundle state in " + stateFile + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public String toString() {
    return "BundleRealmSource[" + (stateFile == null ? "in memory" : stateFile) + "]";
  }
}
