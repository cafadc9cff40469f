package dev.fleetvault.bundles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.bundles.VerificationResult.Accepted;
import dev.fleetvault.bundles.VerificationResult.Rejected;
import dev.fleetvault.bundles.tlog.Checkpoint;
import dev.fleetvault.bundles.tlog.Cosignature;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.bundles.tlog.NoteVerifier;
import dev.fleetvault.bundles.tlog.SignedNote;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every rejection path of issue #6, each its own test, plus the accepting paths. */
class BundleVerifierTest {
  static final Clock NOW = Clock.fixed(TestLog.T0.plusSeconds(86400), ZoneOffset.UTC);
  TestLog log;
  BundleVerifier verifier;
  FleetArtifact a1;
  Bundle b1;

  @BeforeEach
  void setUp() {
    log = new TestLog();
    verifier = new BundleVerifier(log.trust(), NOW);
    a1 = TestLog.artifact(1);
    b1 = log.publish(a1);
  }

  Rejection reject(BundleEnvelope env, VerifierState state) {
    VerificationResult r = verifier.verify(env, state);
    assertThat(r).isInstanceOf(Rejected.class);
    return ((Rejected) r).reason();
  }

  VerifierState accept(BundleEnvelope env, VerifierState state) {
    VerificationResult r = verifier.verify(env, state);
    assertThat(r).as(r.toString()).isInstanceOf(Accepted.class);
    return ((Accepted) r).newState();
  }

  Bundle with(Bundle b, byte[] artifact, SignatureMessage m, byte[] sig, byte[] op) {
    return new Bundle(artifact, m, sig, op, b.logIndex(), b.inclusionProof(), b.checkpoint());
  }

  @Test
  void verify_freshClientHonestBundle_acceptsAndReturnsState() {
    VerificationResult r = verifier.verify(log.envelope(b1, 0), VerifierState.initial());
    assertThat(r).isInstanceOf(Accepted.class);
    Accepted a = (Accepted) r;
    assertThat(a.artifact()).isEqualTo(a1);
    assertThat(a.newState().treeSize()).isEqualTo(1);
    assertThat(a.newState().epoch()).isEqualTo(1);
    assertThat(a.newState().digest()).isEqualTo(a1.digest());
    // round trip through the wire encoding and the persisted state
    VerificationResult again =
        verifier.verify(log.envelope(b1, 1).toJson(), VerifierState.parse(a.newState().toJson()));
    assertThat(again.accepted()).isTrue();
  }

  @Test
  void verify_rotationToEpoch2WithConsistencyProof_accepts() {
    VerifierState s1 = accept(log.envelope(b1, 0), VerifierState.initial());
    Bundle b2 = log.publish(TestLog.artifact(2));
    log.publish(
        TestLog.artifact(3)); // the log grows past the bundle; the client still follows along
    VerifierState s2 = accept(log.envelope(b2, s1.treeSize()), s1);
    assertThat(s2.epoch()).isEqualTo(2);
    assertThat(s2.treeSize()).isEqualTo(3);
  }

  @Test
  void verify_malformedEnvelopeBytes_rejectedMalformedBundle() {
    VerificationResult r =
        verifier.verify("{\"bundle\":1}".getBytes(StandardCharsets.UTF_8), VerifierState.initial());
    assertThat(((Rejected) r).reason()).isEqualTo(Rejection.MALFORMED_BUNDLE);
  }

  @Test
  void verify_forgedSignerSignature_rejected() {
    byte[] sig = b1.signerSignature();
    sig[10] ^= 1;
    Bundle forged =
        with(
            b1, b1.artifact(), b1.message(), sig, log.ecdsa(sig)); // operator even counter-signs it
    assertThat(reject(log.envelope(forged, 0), VerifierState.initial()))
        .isEqualTo(Rejection.SIGNER_SIGNATURE_INVALID);
  }

  @Test
  void verify_signatureByAnotherEd25519Key_rejected() {
    TestLog other = new TestLog();
    Bundle foreign = other.publish(a1);
    assertThat(reject(other.envelope(foreign, 0), VerifierState.initial()))
        .isEqualTo(Rejection.SIGNER_SIGNATURE_INVALID);
  }

  @Test
  void verify_forgedCounterSignature_rejected() {
    byte[] op = TestLogOps.signWithFreshKey(b1.signerSignature());
    Bundle forged = with(b1, b1.artifact(), b1.message(), b1.signerSignature(), op);
    assertThat(reject(log.envelope(forged, 0), VerifierState.initial()))
        .isEqualTo(Rejection.OPERATOR_SIGNATURE_INVALID);
  }

  @Test
  void verify_counterSignatureOverOtherBytes_rejected() {
    Bundle forged =
        with(
            b1,
            b1.artifact(),
            b1.message(),
            b1.signerSignature(),
            log.ecdsa(b1.message().encode()));
    assertThat(reject(log.envelope(forged, 0), VerifierState.initial()))
        .isEqualTo(Rejection.OPERATOR_SIGNATURE_INVALID);
  }

  @Test
  void verify_artifactEditedByOneByte_rejectedDigestMismatch() {
    byte[] art = b1.artifact();
    String s = new String(art, StandardCharsets.UTF_8);
    int i = s.indexOf("\"fleet_id\":\"local\"") + "\"fleet_id\":\"".length();
    art[i] = (byte) 'm'; // "local" -> "mocal": still canonical, still valid, different bytes
    assertThat(FleetArtifact.parse(art).fleetId()).isEqualTo("mocal");
    Bundle edited = with(b1, art, b1.message(), b1.signerSignature(), b1.operatorSignature());
    assertThat(reject(log.envelope(edited, 0), VerifierState.initial()))
        .isEqualTo(Rejection.DIGEST_MISMATCH);
  }

  @Test
  void verify_artifactMadeNonCanonical_rejectedArtifactMalformed() {
    byte[] art =
        (new String(b1.artifact(), StandardCharsets.UTF_8).replaceFirst("\\{", "{ "))
            .getBytes(StandardCharsets.UTF_8);
    Bundle edited = with(b1, art, b1.message(), b1.signerSignature(), b1.operatorSignature());
    assertThat(reject(log.envelope(edited, 0), VerifierState.initial()))
        .isEqualTo(Rejection.ARTIFACT_MALFORMED);
  }

  @Test
  void verify_digestSwapped_rejectedDigestMismatch() {
    // a properly signed + logged + counter-signed entry for another artifact, carrying a1's bytes
    FleetArtifact other = TestLog.artifact(1);
    Bundle real = log.publishRaw(a1.toCanonicalJson(), 1, other.digest());
    assertThat(reject(log.envelope(real, 0), VerifierState.initial()))
        .isEqualTo(Rejection.DIGEST_MISMATCH);
  }

  @Test
  void verify_digestReplayedUnderNewEpoch_rejectedEpochMismatch() {
    // a (misbehaving) signer signs a1's digest again as epoch 2
    Bundle replay = log.publishRaw(a1.toCanonicalJson(), 2, a1.digest());
    assertThat(reject(log.envelope(replay, 0), VerifierState.initial()))
        .isEqualTo(Rejection.EPOCH_MISMATCH);
  }

  @Test
  void verify_otherNamespace_rejectedWrongNamespace() {
    SignatureMessage m =
        new SignatureMessage(
            SignatureMessage.CIPHERSUITE_ED25519_V1, "other.ns.v1", 5, 1, a1.digest());
    byte[] entry = m.encode();
    long idx = log.tree.append(entry);
    byte[] sig = log.ed25519(entry);
    Bundle b =
        new Bundle(
            a1.toCanonicalJson(),
            m,
            sig,
            log.ecdsa(sig),
            idx,
            List.of(),
            log.checkpoint(log.tree.size()));
    assertThat(reject(log.envelope(b, 0), VerifierState.initial()))
        .isEqualTo(Rejection.WRONG_NAMESPACE);
  }

  @Test
  void verify_epochRolledBack_rejectedEpochRollback() {
    VerifierState s1 = accept(log.envelope(b1, 0), VerifierState.initial());
    Bundle b2 = log.publish(TestLog.artifact(2));
    VerifierState s2 = accept(log.envelope(b2, s1.treeSize()), s1);
    // the edge replays the (genuine, logged) epoch-1 bundle to a client that has seen epoch 2
    assertThat(reject(log.envelope(b1, s2.treeSize()), s2)).isEqualTo(Rejection.EPOCH_ROLLBACK);
  }

  @Test
  void verify_sameEpochDifferentArtifact_rejectedEpochReused() {
    VerifierState s1 = accept(log.envelope(b1, 0), VerifierState.initial());
    Bundle twin =
        log.publish(TestLog.artifact(1)); // a signer that failed to refuse a repeated epoch
    assertThat(reject(log.envelope(twin, s1.treeSize()), s1)).isEqualTo(Rejection.EPOCH_REUSED);
  }

  @Test
  void verify_staleBundleAfterValidity_rejectedExpired() {
    BundleVerifier late =
        new BundleVerifier(log.trust(), Clock.fixed(a1.notAfter(), ZoneOffset.UTC));
    VerificationResult r = late.verify(log.envelope(b1, 0), VerifierState.initial());
    assertThat(((Rejected) r).reason()).isEqualTo(Rejection.EXPIRED);
  }

  @Test
  void verify_beforeValidity_rejectedNotYetValid() {
    BundleVerifier early =
        new BundleVerifier(
            log.trust(), Clock.fixed(a1.notBefore().minusSeconds(1), ZoneOffset.UTC));
    VerificationResult r = early.verify(log.envelope(b1, 0), VerifierState.initial());
    assertThat(((Rejected) r).reason()).isEqualTo(Rejection.NOT_YET_VALID);
  }

  @Test
  void verify_inclusionProofForAnotherEntry_rejectedMismatch() {
    Bundle b2 = log.publish(TestLog.artifact(2));
    log.publish(TestLog.artifact(3));
    long n = log.tree.size();
    // b2's proof/index but b1's message: proof of index 1 presented for entry 0
    Bundle wrong =
        new Bundle(
            b1.artifact(),
            b1.message(),
            b1.signerSignature(),
            b1.operatorSignature(),
            b2.logIndex(),
            log.tree.inclusionProof(b2.logIndex(), n),
            log.checkpoint(n));
    assertThat(
            reject(
                new BundleEnvelope(wrong, 0, log.tree.consistencyProof(0, n)),
                VerifierState.initial()))
        .isEqualTo(Rejection.INCLUSION_PROOF_MISMATCH);
    // b1's index with b2's proof
    Bundle wrong2 =
        new Bundle(
            b1.artifact(),
            b1.message(),
            b1.signerSignature(),
            b1.operatorSignature(),
            b1.logIndex(),
            log.tree.inclusionProof(b2.logIndex(), n),
            log.checkpoint(n));
    assertThat(reject(new BundleEnvelope(wrong2, 0, List.of()), VerifierState.initial()))
        .isEqualTo(Rejection.INCLUSION_PROOF_MISMATCH);
  }

  @Test
  void verify_truncatedInclusionProof_rejectedWrongLength() {
    for (int i = 2; i <= 5; i++) {
      log.publish(TestLog.artifact(i));
    }
    BundleEnvelope env = log.envelope(b1, 0);
    List<byte[]> p = env.bundle().inclusionProof();
    assertThat(p).hasSizeGreaterThan(1);
    Bundle truncated =
        env.bundle().withCheckpoint(env.bundle().checkpoint(), p.subList(0, p.size() - 1));
    assertThat(reject(new BundleEnvelope(truncated, 0, List.of()), VerifierState.initial()))
        .isEqualTo(Rejection.INCLUSION_PROOF_WRONG_LENGTH);
  }

  @Test
  void verify_indexBeyondCheckpoint_rejectedOutOfRange() {
    Bundle b2 = log.publish(TestLog.artifact(2));
    Bundle old = b2.withCheckpoint(log.checkpoint(1), List.of());
    assertThat(reject(new BundleEnvelope(old, 0, List.of()), VerifierState.initial()))
        .isEqualTo(Rejection.LOG_INDEX_OUT_OF_RANGE);
  }

  @Test
  void verify_checkpointWithWrongOrigin_rejected() {
    // a log under another origin, whose checkpoint is even signed by the pinned key under that name
    TestLog evil = new TestLog("evil.example/log");
    NoteKey pinnedKeyOtherName =
        new NoteKey("evil.example/log", NoteKey.TYPE_ED25519, log.signerNoteKey.publicKey());
    String text = new Checkpoint("evil.example/log", 1, log.tree.root(1)).toNoteText();
    String cp =
        new SignedNote(text, List.of(NoteVerifier.sign(text, pinnedKeyOtherName, log::ed25519)))
            .format();
    Bundle b = b1.withCheckpoint(cp, List.of());
    assertThat(evil).isNotNull();
    assertThat(reject(new BundleEnvelope(b, 0, List.of()), VerifierState.initial()))
        .isEqualTo(Rejection.CHECKPOINT_WRONG_ORIGIN);
  }

  @Test
  void verify_checkpointSignedByOtherKey_rejectedCheckpointSignature() {
    Ed25519PrivateKeyParameters k = new Ed25519PrivateKeyParameters(TestLog.RNG);
    NoteKey sameNameOtherKey =
        new NoteKey(TestLog.ORIGIN, NoteKey.TYPE_ED25519, k.generatePublicKey().getEncoded());
    String text = new Checkpoint(TestLog.ORIGIN, 1, log.tree.root(1)).toNoteText();
    String cp =
        new SignedNote(
                text,
                List.of(
                    NoteVerifier.sign(
                        text,
                        sameNameOtherKey,
                        msg -> {
                          Ed25519Signer s = new Ed25519Signer();
                          s.init(true, k);
                          s.update(msg, 0, msg.length);
                          return s.generateSignature();
                        })))
            .format();
    assertThat(
            reject(
                new BundleEnvelope(b1.withCheckpoint(cp, List.of()), 0, List.of()),
                VerifierState.initial()))
        .isEqualTo(Rejection.CHECKPOINT_SIGNATURE_INVALID);
  }

  @Test
  void verify_checkpointSignatureCorrupted_rejectedCheckpointSignature() {
    SignedNote note = SignedNote.parse(b1.checkpoint());
    SignedNote.NoteSignature s = note.signatures().get(0);
    byte[] sig = s.signature();
    sig[0] ^= 1;
    String bad =
        new SignedNote(
                note.text(), List.of(new SignedNote.NoteSignature(s.keyName(), s.keyId(), sig)))
            .format();
    assertThat(
            reject(
                new BundleEnvelope(b1.withCheckpoint(bad, List.of()), 0, List.of()),
                VerifierState.initial()))
        .isEqualTo(Rejection.CHECKPOINT_SIGNATURE_INVALID);
  }

  @Test
  void verify_malformedCheckpoint_rejected() {
    assertThat(
            reject(
                new BundleEnvelope(b1.withCheckpoint("not a note", List.of()), 0, List.of()),
                VerifierState.initial()))
        .isEqualTo(Rejection.CHECKPOINT_MALFORMED);
  }

  @Test
  void verify_splitViewTwoCheckpointsForSameSize_rejected() {
    VerifierState s1 = accept(log.envelope(b1, 0), VerifierState.initial());
    log.publish(TestLog.artifact(2));
    VerifierState s2 = accept(log.envelope(log.bundles.get(1), s1.treeSize()), s1);
    // a forked log: same signer key, same size 2, different second entry
    TestLogFork fork = new TestLogFork(log, 1);
    Bundle forked = fork.publish(TestLog.artifact(2));
    assertThat(fork.log.tree.size()).isEqualTo(s2.treeSize());
    assertThat(reject(fork.log.envelope(forked, s2.treeSize()), s2))
        .isEqualTo(Rejection.SPLIT_VIEW);
  }

  @Test
  void verify_consistencyProofThatDoesNotMatch_rejected() {
    VerifierState s1 = accept(log.envelope(b1, 0), VerifierState.initial());
    log.publish(TestLog.artifact(2));
    VerifierState s2 = accept(log.envelope(log.bundles.get(1), s1.treeSize()), s1);
    // the fork grows past the client's size; its consistency proof cannot connect to what the
    // client saw
    TestLogFork fork = new TestLogFork(log, 1);
    fork.publish(TestLog.artifact(2));
    Bundle b3 = fork.publish(TestLog.artifact(3));
    assertThat(reject(fork.log.envelope(b3, s2.treeSize()), s2))
        .isEqualTo(Rejection.CONSISTENCY_PROOF_INVALID);
    // and an honest proof with one hash flipped
    Bundle h3 = log.publish(TestLog.artifact(3));
    BundleEnvelope env = log.envelope(h3, s2.treeSize());
    List<byte[]> p = new ArrayList<>(env.consistencyProof());
    byte[] h = p.get(0).clone();
    h[5] ^= 1;
    p.set(0, h);
    assertThat(reject(new BundleEnvelope(env.bundle(), env.consistencyFrom(), p), s2))
        .isEqualTo(Rejection.CONSISTENCY_PROOF_INVALID);
  }

  @Test
  void verify_consistencyFromOtherSize_rejectedWrongBase() {
    VerifierState s1 = accept(log.envelope(b1, 0), VerifierState.initial());
    Bundle b2 = log.publish(TestLog.artifact(2));
    assertThat(reject(log.envelope(b2, 0), s1)).isEqualTo(Rejection.CONSISTENCY_WRONG_BASE);
  }

  @Test
  void verify_checkpointOlderThanStored_rejectedRollback() {
    log.publish(TestLog.artifact(2));
    VerifierState s2 = accept(log.envelope(log.bundles.get(1), 0), VerifierState.initial());
    Bundle oldView = b1.withCheckpoint(log.checkpoint(1), List.of());
    assertThat(reject(new BundleEnvelope(oldView, 0, List.of()), s2))
        .isEqualTo(Rejection.CHECKPOINT_ROLLBACK);
  }

  @Test
  void verify_witnessQuorumRequired_acceptsOnlyCosignedCheckpoint() {
    Ed25519PrivateKeyParameters wk = new Ed25519PrivateKeyParameters(TestLog.RNG);
    NoteKey witness =
        new NoteKey(
            "witness.example/w1", NoteKey.TYPE_COSIGNATURE_V1, wk.generatePublicKey().getEncoded());
    TrustAnchors t =
        new TrustAnchors(
            log.signerNoteKey,
            (java.security.interfaces.ECPublicKey) log.operator.getPublic(),
            List.of(witness),
            1);
    BundleVerifier v = new BundleVerifier(t, NOW);
    BundleEnvelope env = log.envelope(b1, 0);
    VerificationResult r = v.verify(env, VerifierState.initial());
    assertThat(((Rejected) r).reason()).isEqualTo(Rejection.WITNESS_QUORUM_NOT_MET);
    SignedNote note = SignedNote.parse(env.bundle().checkpoint());
    SignedNote cosigned =
        note.withSignature(
            Cosignature.sign(
                note.text(),
                1767225600L,
                witness,
                msg -> {
                  Ed25519Signer s = new Ed25519Signer();
                  s.init(true, wk);
                  s.update(msg, 0, msg.length);
                  return s.generateSignature();
                }));
    Bundle b = env.bundle().withCheckpoint(cosigned.format(), env.bundle().inclusionProof());
    assertThat(v.verify(new BundleEnvelope(b, 0, List.of()), VerifierState.initial()).accepted())
        .isTrue();
  }

  /**
   * Property: a witness counts once however often its key is listed: a policy listing one key twice
   * (or one key under two names, or two keys under one name) is refused, so one cosignature can
   * never meet a quorum of two.
   */
  @Test
  void trustAnchors_witnessListedTwice_refused() {
    Ed25519PrivateKeyParameters wk = new Ed25519PrivateKeyParameters(TestLog.RNG);
    byte[] pub = wk.generatePublicKey().getEncoded();
    NoteKey w = new NoteKey("witness.example/w1", NoteKey.TYPE_COSIGNATURE_V1, pub);
    NoteKey sameKeyOtherName =
        new NoteKey("witness.example/w1-again", NoteKey.TYPE_COSIGNATURE_V1, pub);
    NoteKey otherKeySameName =
        new NoteKey(
            "witness.example/w1",
            NoteKey.TYPE_COSIGNATURE_V1,
            new Ed25519PrivateKeyParameters(TestLog.RNG).generatePublicKey().getEncoded());
    java.security.interfaces.ECPublicKey op =
        (java.security.interfaces.ECPublicKey) log.operator.getPublic();
    for (List<NoteKey> twice :
        List.of(List.of(w, w), List.of(w, sameKeyOtherName), List.of(w, otherKeySameName))) {
      assertThatThrownBy(() -> new TrustAnchors(log.signerNoteKey, op, twice, 2))
          .isInstanceOf(FormatException.class)
          .hasMessageContaining("listed twice");
      assertThatThrownBy(() -> new TrustAnchors(log.signerNoteKey, op, twice, 1))
          .isInstanceOf(FormatException.class);
    }
    // the trust file path refuses it too
    String json =
        new String(
                new TrustAnchors(log.signerNoteKey, op, List.of(w), 1).toJson(),
                java.nio.charset.StandardCharsets.UTF_8)
            .replace("\"" + w.vkey() + "\"", "\"" + w.vkey() + "\",\"" + w.vkey() + "\"");
    assertThat(json).contains(w.vkey() + "\",\"" + w.vkey());
    assertThatThrownBy(
            () -> TrustAnchors.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOf(FormatException.class);
  }

  @Test
  void verify_sameBundleTwice_acceptedIdempotently() {
    VerifierState s1 = accept(log.envelope(b1, 0), VerifierState.initial());
    VerifierState again = accept(log.envelope(b1, s1.treeSize()), s1);
    assertThat(again).isEqualTo(s1);
  }

  @Test
  void parse_envelopeRoundTrip_isByteExact() {
    BundleEnvelope env = log.envelope(b1, 0);
    byte[] json = env.toJson();
    assertThat(BundleEnvelope.parse(json).toJson()).isEqualTo(json);
    assertThat(Bundle.parse(b1.toJson())).isEqualTo(b1);
    assertThat(TrustAnchors.parse(log.trust().toJson()).toJson()).isEqualTo(log.trust().toJson());
    assertThat(Instant.ofEpochMilli(b1.message().timestampMillis())).isAfterOrEqualTo(TestLog.T0);
  }
}
