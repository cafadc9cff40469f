package dev.fleetvault.bench.bundles;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.BundleVerifier;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.SignatureMessage;
import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.VerificationResult;
import dev.fleetvault.bundles.VerifierState;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.tlog.Checkpoint;
import dev.fleetvault.bundles.tlog.MerkleHash;
import dev.fleetvault.bundles.tlog.MerkleProofs;
import dev.fleetvault.bundles.tlog.MerkleTree;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.bundles.tlog.NoteVerifier;
import dev.fleetvault.bundles.tlog.SignedNote;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a client pays to accept a fleet ({@link #verifyEnvelope}: canonical JSON parse, SHA-256,
 * Ed25519 ×2, ECDSA P-256, inclusion and consistency proofs in a log of 65,536 entries) and what
 * the signer pays per proof.
 *
 * <p>Run: {@code mvn -o -q -DbuildDirName=target-b -pl bench -am package -DskipTests && java -cp
 * 'bench/target-b/classes:bench/target-b/lib/*' org.openjdk.jmh.Main
 * 'dev.fleetvault.bench.bundles.*' -f 1 -wi 2 -w 2s -i 3 -r 3s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BundleBenchmark {
  private static final int LOG_SIZE = 1 << 16;
  private BundleVerifier verifier;
  private byte[] envelope;
  private VerifierState state;
  private MerkleTree tree;
  private byte[] leaf;
  private List<byte[]> proof;
  private byte[] root;
  private long index;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    SecureRandom rng = new SecureRandom();
    Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(rng);
    NoteKey nk =
        new NoteKey(
            "bench.fleetvault.dev/signer",
            NoteKey.TYPE_ED25519,
            sk.generatePublicKey().getEncoded());
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair op = g.generateKeyPair();
    List<FleetMember> ms = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      ms.add(
          new FleetMember(
              "dc" + i,
              "dc" + i,
              Crypto.uncompressed((ECPublicKey) g.generateKeyPair().getPublic()),
              Crypto.uncompressed((ECPublicKey) g.generateKeyPair().getPublic()),
              FleetMember.ROLE_MEMBER));
    }
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    FleetArtifact a =
        new FleetArtifact(
            FleetArtifact.NAMESPACE,
            "bench",
            2,
            3,
            ms,
            t0,
            t0.plusSeconds(86400 * 365),
            new byte[0]);
    tree = new MerkleTree();
    for (int i = 0; i < LOG_SIZE - 1; i++) {
      tree.append(("filler " + i).getBytes());
    }
    long stateSize = LOG_SIZE / 2 + 17;
    state = new VerifierState(stateSize, tree.root(stateSize), 1, Crypto.sha256(new byte[] {1}));
    SignatureMessage m =
        new SignatureMessage(
            SignatureMessage.CIPHERSUITE_ED25519_V1,
            FleetArtifact.NAMESPACE,
            t0.toEpochMilli(),
            2,
            a.digest());
    index = tree.append(m.encode());
    byte[] sig = ed25519(sk, m.encode());
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(op.getPrivate());
    s.update(sig);
    String text = new Checkpoint(nk.name(), tree.size(), tree.root()).toNoteText();
    String cp =
        new SignedNote(text, List.of(NoteVerifier.sign(text, nk, msg -> ed25519(sk, msg))))
            .format();
    Bundle b =
        new Bundle(
            a.toCanonicalJson(),
            m,
            sig,
            s.sign(),
            index,
            tree.inclusionProof(index, tree.size()),
            cp);
    envelope =
        new BundleEnvelope(b, stateSize, tree.consistencyProof(stateSize, tree.size())).toJson();
    verifier =
        new BundleVerifier(
            TrustAnchors.of(nk, (ECPublicKey) op.getPublic()),
            Clock.fixed(t0.plusSeconds(3600), ZoneOffset.UTC));
    if (!verifier.verify(envelope, state).accepted()) {
      throw new IllegalStateException("benchmark bundle does not verify");
    }
    leaf = MerkleHash.leaf(m.encode());
    proof = tree.inclusionProof(index, tree.size());
    root = tree.root();
  }

  private static byte[] ed25519(Ed25519PrivateKeyParameters k, byte[] m) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, k);
    s.update(m, 0, m.length);
    return s.generateSignature();
  }

  /** The SDK's full check of an over-the-air envelope. */
  @Benchmark
  public VerificationResult verifyEnvelope() {
    return verifier.verify(envelope, state);
  }

  /** Signer side: one inclusion proof in a 65,536-entry log. */
  @Benchmark
  public List<byte[]> inclusionProof() {
    return tree.inclusionProof(index / 3, tree.size());
  }

  /** Signer side: one consistency proof. */
  @Benchmark
  public List<byte[]> consistencyProof() {
    return tree.consistencyProof(state.treeSize(), tree.size());
  }

  /** Client side: verify one inclusion proof. */
  @Benchmark
  public boolean verifyInclusion() {
    return MerkleProofs.verifyInclusion(index, tree.size(), leaf, proof, root);
  }
}
