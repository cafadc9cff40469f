package dev.fleetvault.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleVerifier;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.Rejection;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.VerificationResult;
import dev.fleetvault.bundles.VerifierState;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.tlog.Cosignature;
import dev.fleetvault.bundles.tlog.MerkleHash;
import dev.fleetvault.bundles.tlog.MerkleProofs;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.bundles.tlog.SignedNote;
import dev.fleetvault.bundles.tlog.TilePath;
import dev.fleetvault.bundles.tlog.Tiles;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signer over HTTP on 127.0.0.1 (ephemeral port), with the operator publishing through its own
 * soft-HSM key.
 */
class SignerHttpTest {
  static final Clock NOW = Clock.fixed(SignerTestEnv.T0.plusSeconds(86400), ZoneOffset.UTC);
  @TempDir Path dir;
  Vertx vertx;
  SignerTestEnv env;
  SignerServer server;
  SignerClient client;
  TrustAnchors trust;
  Ed25519PrivateKeyParameters witnessKey = new Ed25519PrivateKeyParameters(new SecureRandom());
  NoteKey witness =
      new NoteKey(
          "witness.test/w1",
          NoteKey.TYPE_COSIGNATURE_V1,
          witnessKey.generatePublicKey().getEncoded());

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    env = new SignerTestEnv(dir, 0, List.of(witness.vkey()));
    server = SignerServer.startBlocking(vertx, SignerConfig.load(env.config));
    client = new SignerClient(URI.create("http://127.0.0.1:" + server.port()));
    trust = env.trust(client.info().noteKey());
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
    env.close();
  }

  BundlePublisher publisher() {
    return new BundlePublisher(client, env.operatorSigner(), trust, NOW);
  }

  @Test
  void publish_thenClientVerifiesEnvelopeAndFollowsRotation() throws Exception {
    FleetArtifact a1 = SignerTestEnv.artifact(1);
    Bundle b1 = publisher().publish(a1);
    assertThat(b1.logIndex()).isZero();
    BundleVerifier v = new BundleVerifier(trust, NOW);
    VerificationResult r1 =
        v.verify(client.envelope(FleetArtifact.NAMESPACE, 0), VerifierState.initial());
    assertThat(r1.accepted()).as(r1.toString()).isTrue();
    VerifierState s1 = ((VerificationResult.Accepted) r1).newState();

    FleetArtifact a2 = SignerTestEnv.artifact(2);
    publisher().publish(a2);
    VerificationResult r2 = v.verify(client.envelope(FleetArtifact.NAMESPACE, s1.treeSize()), s1);
    assertThat(r2.accepted()).as(r2.toString()).isTrue();
    assertThat(((VerificationResult.Accepted) r2).artifact()).isEqualTo(a2);
    VerifierState s2 = ((VerificationResult.Accepted) r2).newState();

    // a client that has seen epoch 2 refuses the (genuine) epoch-1 bundle replayed at it
    Bundle old = client.bundle(FleetArtifact.NAMESPACE, 1);
    VerificationResult replay =
        v.verify(new dev.fleetvault.bundles.BundleEnvelope(old, s2.treeSize(), List.of()), s2);
    assertThat(((VerificationResult.Rejected) replay).reason()).isEqualTo(Rejection.EPOCH_ROLLBACK);
  }

  @Test
  void publish_overHttp_refusesRepeatsAndUnauthenticated() throws Exception {
    FleetArtifact a1 = SignerTestEnv.artifact(1);
    client.publish(FleetArtifact.NAMESPACE, 1, a1.digest(), env.operatorSigner());
    SignerClient.SignerClientException e1 =
        (SignerClient.SignerClientException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    client.publish(
                        FleetArtifact.NAMESPACE,
                        1,
                        SignerTestEnv.artifact(1).digest(),
                        env.operatorSigner()));
    assertThat(e1.status()).isEqualTo(409);
    assertThat(e1.error()).isEqualTo("EPOCH_NOT_INCREASING");
    SignerClient.SignerClientException e2 =
        (SignerClient.SignerClientException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    client.publish(FleetArtifact.NAMESPACE, 2, a1.digest(), env.operatorSigner()));
    assertThat(e2.error()).isEqualTo("DIGEST_REUSED");
    SignerClient.SignerClientException e3 =
        (SignerClient.SignerClientException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> client.publish("nope.v1", 2, a1.digest(), env.operatorSigner()));
    assertThat(e3.error()).isEqualTo("UNKNOWN_NAMESPACE");
    SignerClient.SignerClientException e4 =
        (SignerClient.SignerClientException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    client.publish(
                        FleetArtifact.NAMESPACE,
                        3,
                        SignerTestEnv.artifact(3).digest(),
                        m -> Crypto.sha256(m)));
    assertThat(e4.status()).isEqualTo(401);
    assertThat(client.info().treeSize()).isEqualTo(1);
  }

  @Test
  void tilesAndProofs_servedPerC2spAndRfc9162() throws Exception {
    for (int i = 1; i <= 3; i++) {
      publisher().publish(SignerTestEnv.artifact(i));
    }
    SignerService.Entry e0 = client.audit(FleetArtifact.NAMESPACE, 1);
    List<byte[]> entries =
        Tiles.parseEntryBundle(client.tile(TilePath.parse("tile/entries/000.p/3")));
    assertThat(entries).hasSize(3);
    assertThat(entries.get(0)).isEqualTo(e0.message().encode());
    byte[] leafTile = client.tile(TilePath.parse("tile/0/000.p/3"));
    assertThat(java.util.Arrays.copyOfRange(leafTile, 64, 96))
        .isEqualTo(MerkleHash.leaf(entries.get(2)));
    assertThatThrownBy(() -> client.tile(TilePath.parse("tile/0/000.p/4")))
        .hasMessageContaining("404");
    String cp = client.checkpoint();
    byte[] root =
        dev.fleetvault.bundles.tlog.Checkpoint.fromNoteText(SignedNote.parse(cp).text()).rootHash();
    assertThat(
            MerkleProofs.verifyInclusion(
                1, 3, MerkleHash.leaf(entries.get(1)), client.inclusionProof(1, 3), root))
        .isTrue();
    byte[] root1 =
        dev.fleetvault.bundles.tlog.Checkpoint.fromNoteText(
                SignedNote.parse(client.checkpoint(1)).text())
            .rootHash();
    assertThat(MerkleProofs.verifyConsistency(1, 3, root1, root, client.consistencyProof(1, 3)))
        .isTrue();
  }

  @Test
  void audit_honestLog_passesAndListsChanges() throws Exception {
    publisher().publish(SignerTestEnv.artifact(1));
    publisher().publish(SignerTestEnv.artifact(2));
    LogAuditor.Report r = new LogAuditor(client, trust, Map.of(), VerifierState.initial()).audit();
    assertThat(r.problems()).isEmpty();
    assertThat(r.issued()).hasSize(2);
    assertThat(r.changes()).anyMatch(c -> c.contains("member m1 HPKE key"));
    // the next audit continues from the saved state
    publisher().publish(SignerTestEnv.artifact(3));
    LogAuditor.Report r2 = new LogAuditor(client, trust, Map.of(), r.newState()).audit();
    assertThat(r2.ok()).isTrue();
    assertThat(r2.treeSize()).isEqualTo(3);
  }

  @Test
  void audit_entryWithNoPublishedArtifact_flagged() throws Exception {
    publisher().publish(SignerTestEnv.artifact(1));
    client.publish(
        FleetArtifact.NAMESPACE,
        2,
        SignerTestEnv.artifact(2).digest(),
        env.operatorSigner()); // never attached
    LogAuditor.Report r = new LogAuditor(client, trust, Map.of(), VerifierState.initial()).audit();
    assertThat(r.ok()).isFalse();
    assertThat(r.problems())
        .anyMatch(p -> p.contains("matches no artifact the operator published"));
  }

  @Test
  void audit_stateFromAnotherLog_flaggedAsSplitView() throws Exception {
    publisher().publish(SignerTestEnv.artifact(1));
    VerifierState forged =
        new VerifierState(1, Crypto.sha256("other".getBytes()), 1, Crypto.sha256(new byte[1]));
    LogAuditor.Report r = new LogAuditor(client, trust, Map.of(), forged).audit();
    assertThat(r.problems()).anyMatch(p -> p.contains("split view"));
  }

  @Test
  void witnessCosignature_acceptedOnlyFromConfiguredWitness() throws Exception {
    publisher().publish(SignerTestEnv.artifact(1));
    SignedNote cp = SignedNote.parse(client.checkpoint());
    SignedNote.NoteSignature line =
        Cosignature.sign(
            cp.text(),
            1767225600L,
            witness,
            m -> {
              Ed25519Signer s = new Ed25519Signer();
              s.init(true, witnessKey);
              s.update(m, 0, m.length);
              return s.generateSignature();
            });
    client.cosign(1, line.line());
    SignedNote served = SignedNote.parse(client.checkpoint());
    assertThat(Cosignature.verify(served, witness)).isEqualTo(1767225600L);
    TrustAnchors withWitness =
        new TrustAnchors(trust.signerKey(), trust.operatorKey(), List.of(witness), 1);
    assertThat(
            new BundleVerifier(withWitness, NOW)
                .verify(client.envelope(FleetArtifact.NAMESPACE, 0), VerifierState.initial())
                .accepted())
        .isTrue();
    assertThatThrownBy(() -> client.cosign(0, line.line())).hasMessageContaining("401");
  }

  @Test
  void witness_followsTheLogAndRefusesAForeignHistory() throws Exception {
    java.util.function.Function<byte[], byte[]> sign =
        m -> {
          Ed25519Signer s = new Ed25519Signer();
          s.init(true, witnessKey);
          s.update(m, 0, m.length);
          return s.generateSignature();
        };
    Witness w = Witness.fresh(trust.signerKey(), witness, sign, Clock.systemUTC());
    publisher().publish(SignerTestEnv.artifact(1));
    w.witness(client);
    publisher().publish(SignerTestEnv.artifact(2));
    w.witness(client);
    assertThat(w.size()).isEqualTo(2);
    assertThat(Cosignature.verify(SignedNote.parse(client.checkpoint()), witness)).isPositive();
    // a witness that remembers another history at size 2 refuses to cosign
    Witness other =
        new Witness(
            trust.signerKey(), witness, sign, 2, Crypto.sha256("x".getBytes()), Clock.systemUTC());
    publisher().publish(SignerTestEnv.artifact(3));
    assertThatThrownBy(() -> other.witness(client)).hasMessageContaining("inconsistent");
  }
}
