package dev.fleetvault.bundles;

import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.tlog.Checkpoint;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An in-test signer + operator + log (with real keys) that issues bundles the way the signer
 * service does.
 */
final class TestLog {
  static final String ORIGIN = "test.fleetvault.dev/signer";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final SecureRandom RNG = new SecureRandom();

  final Ed25519PrivateKeyParameters signerKey;
  final NoteKey signerNoteKey;
  final KeyPair operator;
  final MerkleTree tree = new MerkleTree();
  final List<byte[]> entries = new ArrayList<>();
  final List<Bundle> bundles = new ArrayList<>();

  TestLog() {
    this(ORIGIN);
  }

  TestLog(String origin) {
    this(origin, new Ed25519PrivateKeyParameters(RNG), ecKeyPair());
  }

  private TestLog(String origin, Ed25519PrivateKeyParameters key, KeyPair op) {
    signerKey = key;
    operator = op;
    signerNoteKey =
        new NoteKey(origin, NoteKey.TYPE_ED25519, signerKey.generatePublicKey().getEncoded());
  }

  /** Same keys and origin, first {@code keep} entries only (a split-view fork). */
  TestLog forkKeeping(int keep) {
    TestLog f = new TestLog(signerNoteKey.name(), signerKey, operator);
    for (int i = 0; i < keep; i++) {
      f.tree.append(entries.get(i));
      f.entries.add(entries.get(i));
      f.bundles.add(bundles.get(i));
    }
    return f;
  }

  TrustAnchors trust() {
    return TrustAnchors.of(signerNoteKey, (ECPublicKey) operator.getPublic());
  }

  static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static byte[] point() {
    return Crypto.uncompressed((ECPublicKey) ecKeyPair().getPublic());
  }

  static FleetArtifact artifact(long epoch) {
    List<FleetMember> ms = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      ms.add(new FleetMember("m" + i, "dc" + i, point(), point(), FleetMember.ROLE_MEMBER));
    }
    return new FleetArtifact(
        FleetArtifact.NAMESPACE,
        "local",
        epoch,
        2,
        ms,
        T0,
        T0.plusSeconds(365L * 86400),
        new byte[0]);
  }

  byte[] ed25519(byte[] msg) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, signerKey);
    s.update(msg, 0, msg.length);
    return s.generateSignature();
  }

  byte[] ecdsa(byte[] msg) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(operator.getPrivate());
      s.update(msg);
      return s.sign();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  String checkpoint(long size) {
    String text = new Checkpoint(signerNoteKey.name(), size, tree.root(size)).toNoteText();
    return new SignedNote(text, List.of(NoteVerifier.sign(text, signerNoteKey, this::ed25519)))
        .format();
  }

  /**
   * Publishes an artifact the honest way: log the message, sign it, counter-sign, prove against the
   * newest checkpoint.
   */
  Bundle publish(FleetArtifact a) {
    return publishRaw(a.toCanonicalJson(), a.epoch(), a.digest());
  }

  Bundle publishRaw(byte[] artifactBytes, long epoch, byte[] digest) {
    SignatureMessage m =
        new SignatureMessage(
            SignatureMessage.CIPHERSUITE_ED25519_V1,
            FleetArtifact.NAMESPACE,
            T0.toEpochMilli() + entries.size(),
            epoch,
            digest);
    byte[] entry = m.encode();
    long index = tree.append(entry);
    entries.add(entry);
    byte[] sig = ed25519(entry);
    Bundle b =
        new Bundle(
            artifactBytes,
            m,
            sig,
            ecdsa(sig),
            index,
            tree.inclusionProof(index, tree.size()),
            checkpoint(tree.size()));
    bundles.add(b);
    return b;
  }

  /**
   * The envelope a gateway would send: the bundle proven against the latest checkpoint, consistency
   * from {@code from}.
   */
  BundleEnvelope envelope(Bundle b, long from) {
    long n = tree.size();
    Bundle fresh = b.withCheckpoint(checkpoint(n), tree.inclusionProof(b.logIndex(), n));
    return new BundleEnvelope(fresh, from, tree.consistencyProof(from, n));
  }
}
