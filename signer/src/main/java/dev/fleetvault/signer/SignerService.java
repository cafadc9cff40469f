package dev.fleetvault.signer;

import dev.fleetvault.bundles.Bundle;
import dev.fleetvault.bundles.BundleEnvelope;
import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.SignatureMessage;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import dev.fleetvault.bundles.tlog.Checkpoint;
import dev.fleetvault.bundles.tlog.Cosignature;
import dev.fleetvault.bundles.tlog.MerkleTree;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.bundles.tlog.NoteVerifier;
import dev.fleetvault.bundles.tlog.SignedNote;
import dev.fleetvault.bundles.tlog.TilePath;
import dev.fleetvault.bundles.tlog.Tiles;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.protocol.sig.EcdsaP256;
import dev.fleetvault.signer.SignerException.Reason;
import dev.fleetvault.signer.impl.LogStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The independent signer's logic and state, independent of HTTP: an append-only audit log of {@link
 * SignatureMessage} entries (RFC 9162 tree, C2SP checkpoints signed by the signer key),
 * per-namespace epoch monotonicity, digest uniqueness, operator attachments (artifact +
 * counter-signature) and witness cosignatures.
 *
 * <p>Guarantees: {@link #publish} returns a signature only after the entry, its signature and the
 * new checkpoint are fsynced in the record file; a non-increasing epoch, a reused digest or an
 * unknown namespace is refused and changes nothing; an HSM failure changes nothing; every
 * acknowledged entry is rebuilt on restart and the rebuilt tree is checked against the stored
 * checkpoints. If a durable write fails the service stops accepting writes (fail-stop) until
 * restarted, because the record file's state is then unknown. Thread-safe (one lock; writes are
 * short: one HSM signature pair and one fsync).
 */
public final class SignerService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SignerService.class);

  /** Largest artifact accepted in an attachment (a 255-member fleet is about 64 KiB). */
  public static final int MAX_ARTIFACT_BYTES = 256 * 1024;

  private static final byte[] PUBLISH_LABEL =
      "fleetvault/publish/v1\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * One log entry as stored.
   *
   * @param index position in the log
   * @param message the signed message (also the leaf data)
   * @param signature the signer's Ed25519 signature over {@code message.encode()}
   * @param checkpoint the signed checkpoint note for tree size {@code index + 1}
   */
  public record Entry(long index, SignatureMessage message, byte[] signature, String checkpoint) {}

  /**
   * The operator's attachment to an entry.
   *
   * @param artifact canonical artifact bytes
   * @param operatorSignature counter-signature over the entry's signer signature
   */
  public record Attachment(byte[] artifact, byte[] operatorSignature) {}

  /**
   * An entry as served to readers, with the operator's attachment if there is one.
   *
   * @param entry the entry
   * @param attachment the artifact and counter-signature, or null if the operator has not attached
   *     them
   */
  public record Logged(Entry entry, Attachment attachment) {}

  private final Object lock = new Object();
  private final LogStore store;
  private final Function<byte[], byte[]> signer;
  private final NoteKey noteKey;
  private final List<String> namespaces;
  private final ECPublicKey operatorKey;
  private final Map<String, NoteKey> witnesses = new LinkedHashMap<>();
  private final Clock clock;

  private final MerkleTree tree = new MerkleTree();
  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, TreeMap<Long, Integer>> epochs = new HashMap<>();
  private final Set<String> digests = new HashSet<>();
  private final Map<Long, Attachment> attachments = new HashMap<>();
  private final Map<Long, List<SignedNote.NoteSignature>> cosignatures = new HashMap<>();
  private String emptyCheckpoint;
  private volatile boolean failed;

  /**
   * Opens the service over a data directory, replaying its record file.
   *
   * @param dataDir data directory (record file {@code audit-log.bin} inside)
   * @param origin log origin (= note key name)
   * @param publicKey the signer's 32-byte Ed25519 public key
   * @param signer signs with the matching private key (e.g. the HSM), returns 64 bytes
   * @param namespaces namespaces accepted
   * @param operatorKey operator key for publish authentication and counter-signatures
   * @param witnesses witness keys (type 0x04)
   * @param clock time for entry timestamps
   */
  public SignerService(
      java.nio.file.Path dataDir,
      String origin,
      byte[] publicKey,
      Function<byte[], byte[]> signer,
      List<String> namespaces,
      ECPublicKey operatorKey,
      List<NoteKey> witnesses,
      Clock clock)
      throws IOException {
    this.noteKey = new NoteKey(origin, NoteKey.TYPE_ED25519, publicKey);
    this.signer = signer;
    this.namespaces = List.copyOf(namespaces);
    this.operatorKey = operatorKey;
    for (NoteKey w : witnesses) {
      this.witnesses.put(w.name(), w);
    }
    this.clock = clock;
    List<byte[]> records = new ArrayList<>();
    this.store = LogStore.open(dataDir.resolve("audit-log.bin"), records);
    for (byte[] r : records) {
      replay(r);
    }
    LOG.info(
        "signer log {} opened: {} entries, root {}", origin, tree.size(), Codec.hex(tree.root()));
  }

  private void replay(byte[] record) throws IOException {
    JsonMap m = CanonicalJson.parseCanonicalObject(record);
    switch (m.string("type")) {
      case "entry" -> {
        m.requireExactly("type", "index", "message", "signature", "checkpoint");
        SignatureMessage msg = SignatureMessage.decode(m.base64("message", -1));
        byte[] sig = m.base64("signature", 64);
        long index = m.nonNegative("index");
        if (index != tree.size()) {
          throw new IOException("audit log record out of order at index " + index);
        }
        if (!Crypto.ed25519Verify(noteKey.publicKey(), msg.encode(), sig)) {
          throw new IOException("audit log entry " + index + " is not signed by this signer's key");
        }
        String cp = m.string("checkpoint");
        tree.append(msg.encode());
        Checkpoint c = Checkpoint.fromNoteText(SignedNote.parse(cp).text());
        if (c.treeSize() != tree.size() || !java.util.Arrays.equals(c.rootHash(), tree.root())) {
          throw new IOException(
              "audit log checkpoint at size " + tree.size() + " does not match the rebuilt tree");
        }
        index(new Entry(index, msg, sig, cp));
      }
      case "attachment" -> {
        m.requireExactly("type", "index", "artifact", "operator_signature");
        attachments.put(
            m.nonNegative("index"),
            new Attachment(m.base64("artifact", -1), m.base64("operator_signature", -1)));
      }
      case "cosignature" -> {
        m.requireExactly("type", "tree_size", "line");
        SignedNote.NoteSignature s =
            SignedNote.parse("x\n\n" + m.string("line")).signatures().get(0);
        cosignatures.computeIfAbsent(m.nonNegative("tree_size"), k -> new ArrayList<>()).add(s);
      }
      default -> throw new IOException("unknown audit log record type");
    }
  }

  private void index(Entry e) {
    entries.add(e);
    epochs
        .computeIfAbsent(e.message().namespace(), k -> new TreeMap<>())
        .put(e.message().epoch(), (int) e.index());
    digests.add(Codec.hex(e.message().digest()));
  }

  /** The signer's note key (its vkey is what clients pin). */
  public NoteKey noteKey() {
    return noteKey;
  }

  /** Configured namespaces. */
  public List<String> namespaces() {
    return namespaces;
  }

  /** The operator key. */
  public ECPublicKey operatorKey() {
    return operatorKey;
  }

  /** Verifies the operator's publish authentication over a request body. */
  public void authenticate(byte[] body, byte[] signature) throws SignerException {
    byte[] msg = new byte[PUBLISH_LABEL.length + body.length];
    System.arraycopy(PUBLISH_LABEL, 0, msg, 0, PUBLISH_LABEL.length);
    System.arraycopy(body, 0, msg, PUBLISH_LABEL.length, body.length);
    if (signature == null || !EcdsaP256.verify(operatorKey, msg, signature)) {
      throw new SignerException(Reason.UNAUTHENTICATED, "missing or invalid operator signature");
    }
  }

  /** The bytes the operator signs to authenticate a publish request body. */
  public static byte[] publishAuthMessage(byte[] body) {
    byte[] msg = new byte[PUBLISH_LABEL.length + body.length];
    System.arraycopy(PUBLISH_LABEL, 0, msg, 0, PUBLISH_LABEL.length);
    System.arraycopy(body, 0, msg, PUBLISH_LABEL.length, body.length);
    return msg;
  }

  /**
   * Logs and signs {@code {namespace, epoch, digest}} (authentication already checked).
   *
   * @return the new entry (its signature and checkpoint are durable)
   */
  public Entry publish(String namespace, long epoch, byte[] digest) throws SignerException {
    synchronized (lock) {
      if (failed) {
        throw new SignerException(
            Reason.UNAVAILABLE, "the signer stopped after a failed write; restart it");
      }
      if (!namespaces.contains(namespace)) {
        throw new SignerException(Reason.UNKNOWN_NAMESPACE, "unknown namespace " + namespace);
      }
      if (digest.length != 32) {
        throw new SignerException(Reason.BAD_REQUEST, "digest must be 32 bytes");
      }
      TreeMap<Long, Integer> ns = epochs.get(namespace);
      if (ns != null && !ns.isEmpty() && epoch <= ns.lastKey()) {
        throw new SignerException(
            Reason.EPOCH_NOT_INCREASING,
            "epoch " + epoch + " is not greater than the last epoch " + ns.lastKey());
      }
      if (digests.contains(Codec.hex(digest))) {
        throw new SignerException(Reason.DIGEST_REUSED, "digest was already published");
      }
      SignatureMessage msg;
      try {
        msg =
            new SignatureMessage(
                SignatureMessage.CIPHERSUITE_ED25519_V1, namespace, clock.millis(), epoch, digest);
      } catch (FormatException e) {
        throw new SignerException(Reason.BAD_REQUEST, e.getMessage());
      }
      byte[] entry = msg.encode();
      byte[] sig;
      String cp;
      long index;
      try {
        sig = signer.apply(entry);
        index = tree.append(entry);
        try {
          cp = signCheckpoint(tree.size());
        } catch (RuntimeException e) {
          tree.removeLast(); // nothing was written: undo the in-memory append
          throw e;
        }
      } catch (RuntimeException e) {
        LOG.warn("HSM signing failed; nothing logged: {}", e.toString());
        throw new SignerException(
            Reason.UNAVAILABLE, "the signer's HSM failed; nothing was logged, retry later");
      }
      Map<String, Object> rec = new TreeMap<>();
      rec.put("type", "entry");
      rec.put("index", index);
      rec.put("message", Codec.b64(entry));
      rec.put("signature", Codec.b64(sig));
      rec.put("checkpoint", cp);
      try {
        store.append(CanonicalJson.encode(rec));
      } catch (IOException | RuntimeException e) {
        failed = true; // the record file is in an unknown state: stop until a restart re-reads it
        LOG.error("durable append failed; the signer stops accepting writes until restarted", e);
        throw new SignerException(
            Reason.UNAVAILABLE, "durable append failed; the signer stopped accepting writes");
      }
      Entry e = new Entry(index, msg, sig, cp);
      index(e);
      LOG.info("logged {} epoch {} at index {}", namespace, epoch, index);
      return e;
    }
  }

  private String signCheckpoint(long size) {
    String text = new Checkpoint(noteKey.name(), size, tree.root(size)).toNoteText();
    return new SignedNote(text, List.of(NoteVerifier.sign(text, noteKey, signer))).format();
  }

  /** Stores the operator's artifact and counter-signature for an entry after checking both. */
  public void attach(String namespace, long epoch, byte[] artifact, byte[] operatorSignature)
      throws SignerException {
    synchronized (lock) {
      if (failed) {
        throw new SignerException(
            Reason.UNAVAILABLE, "the signer stopped after a failed write; restart it");
      }
      Entry e = entry(namespace, epoch);
      if (artifact.length > MAX_ARTIFACT_BYTES || operatorSignature.length > 80) {
        throw new SignerException(Reason.BAD_REQUEST, "artifact or counter-signature too large");
      }
      if (!java.security.MessageDigest.isEqual(Crypto.sha256(artifact), e.message().digest())) {
        throw new SignerException(
            Reason.BAD_REQUEST, "SHA-256 of the artifact does not match the logged digest");
      }
      if (FleetArtifact.NAMESPACE.equals(namespace)) {
        try {
          if (FleetArtifact.parse(artifact).epoch() != epoch) {
            throw new SignerException(
                Reason.BAD_REQUEST, "artifact epoch differs from the logged epoch");
          }
        } catch (FormatException ex) {
          throw new SignerException(Reason.BAD_REQUEST, "artifact: " + ex.getMessage());
        }
      }
      if (!EcdsaP256.verify(operatorKey, e.signature(), operatorSignature)) {
        throw new SignerException(
            Reason.UNAUTHENTICATED, "counter-signature does not verify under the operator key");
      }
      Attachment old = attachments.get(e.index());
      if (old != null) {
        if (java.util.Arrays.equals(old.artifact(), artifact)) {
          return; // idempotent (counter-signatures are randomized; keep the first)
        }
        throw new SignerException(Reason.CONFLICT, "entry already has an attachment");
      }
      Map<String, Object> rec = new TreeMap<>();
      rec.put("type", "attachment");
      rec.put("index", e.index());
      rec.put("artifact", Codec.b64(artifact));
      rec.put("operator_signature", Codec.b64(operatorSignature));
      try {
        store.append(CanonicalJson.encode(rec));
      } catch (IOException ex) {
        failed = true;
        throw new SignerException(Reason.UNAVAILABLE, "durable append failed");
      }
      attachments.put(e.index(), new Attachment(artifact.clone(), operatorSignature.clone()));
    }
  }

  /** Adds a witness cosignature line for the checkpoint of {@code treeSize} after verifying it. */
  public void addCosignature(long treeSize, String line) throws SignerException {
    synchronized (lock) {
      SignedNote.NoteSignature s;
      try {
        s =
            SignedNote.parse("x\n\n" + (line.endsWith("\n") ? line : line + "\n"))
                .signatures()
                .get(0);
      } catch (FormatException e) {
        throw new SignerException(Reason.BAD_REQUEST, "not a signature line: " + e.getMessage());
      }
      NoteKey w = witnesses.get(s.keyName());
      if (w == null || w.keyId() != s.keyId()) {
        throw new SignerException(Reason.UNAUTHENTICATED, "unknown witness " + s.keyName());
      }
      String cp = checkpoint(treeSize);
      SignedNote n = SignedNote.parse(cp);
      if (Cosignature.verify(new SignedNote(n.text(), List.of(s)), w) < 0) {
        throw new SignerException(
            Reason.UNAUTHENTICATED, "cosignature does not verify for tree size " + treeSize);
      }
      List<SignedNote.NoteSignature> have =
          cosignatures.computeIfAbsent(treeSize, k -> new ArrayList<>());
      if (have.stream().anyMatch(x -> x.line().equals(s.line()))) {
        return;
      }
      Map<String, Object> rec = new TreeMap<>();
      rec.put("type", "cosignature");
      rec.put("tree_size", treeSize);
      rec.put("line", s.line());
      try {
        store.append(CanonicalJson.encode(rec));
      } catch (IOException ex) {
        failed = true;
        throw new SignerException(Reason.UNAVAILABLE, "durable append failed");
      }
      have.add(s);
    }
  }

  /** Current tree size. */
  public long size() {
    synchronized (lock) {
      return tree.size();
    }
  }

  /** The signed checkpoint of a tree size (with any witness cosignatures). */
  public String checkpoint(long treeSize) throws SignerException {
    synchronized (lock) {
      if (treeSize < 0 || treeSize > tree.size()) {
        throw new SignerException(Reason.NOT_FOUND, "no checkpoint for tree size " + treeSize);
      }
      String base;
      if (treeSize == 0) {
        if (emptyCheckpoint == null) {
          emptyCheckpoint = signCheckpoint(0);
        }
        base = emptyCheckpoint;
      } else {
        base = entries.get((int) treeSize - 1).checkpoint();
      }
      SignedNote n = SignedNote.parse(base);
      for (SignedNote.NoteSignature s : cosignatures.getOrDefault(treeSize, List.of())) {
        n = n.withSignature(s);
      }
      return n.format();
    }
  }

  /** The latest signed checkpoint. */
  public String latestCheckpoint() {
    synchronized (lock) {
      try {
        return checkpoint(tree.size());
      } catch (SignerException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The entry at an index. */
  public Entry entry(long index) throws SignerException {
    synchronized (lock) {
      if (index < 0 || index >= entries.size()) {
        throw new SignerException(Reason.NOT_FOUND, "no entry " + index);
      }
      return entries.get((int) index);
    }
  }

  /** The entry for a namespace and epoch. */
  public Entry entry(String namespace, long epoch) throws SignerException {
    synchronized (lock) {
      if (!namespaces.contains(namespace)) {
        throw new SignerException(Reason.UNKNOWN_NAMESPACE, "unknown namespace " + namespace);
      }
      Integer i = epochs.getOrDefault(namespace, new TreeMap<>()).get(epoch);
      if (i == null) {
        throw new SignerException(
            Reason.NOT_FOUND, "no entry for " + namespace + " epoch " + epoch);
      }
      return entries.get(i);
    }
  }

  /** The attachment of an entry, or null. */
  public Attachment attachment(long index) {
    synchronized (lock) {
      return attachments.get(index);
    }
  }

  /** Epochs published in a namespace, ascending. */
  public List<Long> epochs(String namespace) throws SignerException {
    synchronized (lock) {
      if (!namespaces.contains(namespace)) {
        throw new SignerException(Reason.UNKNOWN_NAMESPACE, "unknown namespace " + namespace);
      }
      return new ArrayList<>(epochs.getOrDefault(namespace, new TreeMap<>()).keySet());
    }
  }

  /** RFC 9162 inclusion proof. */
  public List<byte[]> inclusionProof(long index, long treeSize) throws SignerException {
    synchronized (lock) {
      if (treeSize < 1 || treeSize > tree.size() || index < 0 || index >= treeSize) {
        throw new SignerException(
            Reason.BAD_REQUEST, "need 0 <= index < tree_size <= " + tree.size());
      }
      return tree.inclusionProof(index, treeSize);
    }
  }

  /** RFC 9162 consistency proof. */
  public List<byte[]> consistencyProof(long first, long second) throws SignerException {
    synchronized (lock) {
      if (first < 0 || first > second || second > tree.size()) {
        throw new SignerException(
            Reason.BAD_REQUEST, "need 0 <= first <= second <= " + tree.size());
      }
      return tree.consistencyProof(first, second);
    }
  }

  /** A C2SP tile (hash tile or entry bundle). */
  public byte[] tile(TilePath t) throws SignerException {
    synchronized (lock) {
      if (!Tiles.exists(t, tree.size())) {
        throw new SignerException(
            Reason.NOT_FOUND, "no tile " + t.format() + " at tree size " + tree.size());
      }
      if (t.isEntries()) {
        List<byte[]> es = new ArrayList<>();
        long start = t.index() * TilePath.FULL_WIDTH;
        for (int i = 0; i < t.width(); i++) {
          es.add(entries.get((int) (start + i)).message().encode());
        }
        return Tiles.entryBundle(es);
      }
      return Tiles.hashTile(tree, t);
    }
  }

  /**
   * The bundle for a namespace's epoch (latest epoch with an attachment if {@code epoch} is null),
   * proven against the latest checkpoint.
   */
  public Bundle bundle(String namespace, Long epoch) throws SignerException {
    synchronized (lock) {
      Entry e;
      if (epoch != null) {
        e = entry(namespace, epoch);
      } else {
        e = null;
        for (Long ep : epochs(namespace)) {
          Entry c = entry(namespace, ep);
          if (attachments.containsKey(c.index())) {
            e = c;
          }
        }
        if (e == null) {
          throw new SignerException(Reason.NOT_FOUND, "no published bundle in " + namespace);
        }
      }
      Attachment a = attachments.get(e.index());
      if (a == null) {
        throw new SignerException(
            Reason.NOT_FOUND, "entry " + e.index() + " has no operator attachment yet");
      }
      long n = tree.size();
      return new Bundle(
          a.artifact(),
          e.message(),
          e.signature(),
          a.operatorSignature(),
          e.index(),
          tree.inclusionProof(e.index(), n),
          checkpoint(n));
    }
  }

  /** The over-the-air envelope: latest bundle + consistency proof from {@code from}. */
  public BundleEnvelope envelope(String namespace, long from) throws SignerException {
    synchronized (lock) {
      Bundle b = bundle(namespace, null);
      if (from < 0 || from > tree.size()) {
        throw new SignerException(Reason.BAD_REQUEST, "from must be between 0 and " + tree.size());
      }
      return new BundleEnvelope(b, from, tree.consistencyProof(from, tree.size()));
    }
  }

  /** Whether writes stopped after a failure. */
  public boolean failed() {
    return failed;
  }

  @Override
  public void close() throws IOException {
    synchronized (lock) {
      store.close();
    }
  }

  /**
   * Wraps an {@link HsmKey} as a signing function (HSM errors become runtime failures → fail-stop).
   */
  public static Function<byte[], byte[]> hsmSigner(HsmKey key) {
    return m -> {
      try {
        return key.sign(m);
      } catch (HsmException e) {
        throw new IllegalStateException("HSM signing failed: " + e.getMessage(), e);
      }
    };
  }
}
