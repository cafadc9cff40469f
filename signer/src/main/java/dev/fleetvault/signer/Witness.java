package dev.fleetvault.signer;

import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.tlog.Checkpoint;
import dev.fleetvault.bundles.tlog.Cosignature;
import dev.fleetvault.bundles.tlog.MerkleHash;
import dev.fleetvault.bundles.tlog.MerkleProofs;
import dev.fleetvault.bundles.tlog.NoteKey;
import dev.fleetvault.bundles.tlog.NoteVerifier;
import dev.fleetvault.bundles.tlog.SignedNote;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Function;

/**
 * A minimal C2SP witness for one log: remembers the largest checkpoint it verified, and cosigns a
 * new checkpoint (tlog-cosignature v1, Ed25519) only if the log's key signed it and it is
 * consistent with the remembered one. Persisting {@link #size()}/{@link #root()} between runs is
 * the caller's job. Not thread-safe.
 */
public final class Witness {
  private final NoteKey logKey;
  private final NoteKey witnessKey;
  private final Function<byte[], byte[]> signer;
  private final Clock clock;
  private long size;
  private byte[] root;

  /**
   * @param logKey the log's note key (type 0x01; name = origin)
   * @param witnessKey this witness's key (type 0x04)
   * @param signer Ed25519 signing with the witness's private key
   * @param size last verified size (0 initially)
   * @param root last verified root (the empty-tree hash initially)
   * @param clock cosignature timestamps
   */
  public Witness(
      NoteKey logKey,
      NoteKey witnessKey,
      Function<byte[], byte[]> signer,
      long size,
      byte[] root,
      Clock clock) {
    if (witnessKey.type() != NoteKey.TYPE_COSIGNATURE_V1 || logKey.type() != NoteKey.TYPE_ED25519) {
      throw new IllegalArgumentException(
          "need an Ed25519 log key and a cosignature/v1 witness key");
    }
    this.logKey = logKey;
    this.witnessKey = witnessKey;
    this.signer = signer;
    this.size = size;
    this.root = root.clone();
    this.clock = clock;
  }

  /** A witness that has seen nothing yet. */
  public static Witness fresh(
      NoteKey logKey, NoteKey witnessKey, Function<byte[], byte[]> signer, Clock clock) {
    return new Witness(logKey, witnessKey, signer, 0, MerkleHash.empty(), clock);
  }

  /** Last verified size. */
  public long size() {
    return size;
  }

  /** Last verified root. */
  public byte[] root() {
    return root.clone();
  }

  /**
   * Checks a checkpoint and the consistency proof from {@link #size()} and returns the cosignature
   * line, or throws if the checkpoint is not signed by the log, is older, or is inconsistent.
   */
  public SignedNote.NoteSignature cosign(
      String checkpointNote, java.util.List<byte[]> consistencyProof) {
    SignedNote note = SignedNote.parse(checkpointNote);
    Checkpoint cp = Checkpoint.fromNoteText(note.text());
    if (!cp.origin().equals(logKey.name())
        || NoteVerifier.verify(note, logKey) != NoteVerifier.Outcome.VERIFIED) {
      throw new FormatException("checkpoint is not signed by the log key");
    }
    if (cp.treeSize() < size) {
      throw new FormatException(
          "checkpoint of size " + cp.treeSize() + " is older than the witnessed " + size);
    }
    if (!MerkleProofs.verifyConsistency(
        size, cp.treeSize(), root, cp.rootHash(), consistencyProof)) {
      throw new FormatException(
          "checkpoint is inconsistent with the witnessed size " + size + " (split view?)");
    }
    SignedNote.NoteSignature line =
        Cosignature.sign(note.text(), clock.instant().getEpochSecond(), witnessKey, signer);
    size = cp.treeSize();
    root = cp.rootHash();
    return line;
  }

  /**
   * Fetches the signer's latest checkpoint and a consistency proof, cosigns and submits the line.
   */
  public SignedNote.NoteSignature witness(SignerClient client) throws IOException {
    String note = client.checkpoint();
    long n;
    try {
      n = Checkpoint.fromNoteText(SignedNote.parse(note).text()).treeSize();
    } catch (FormatException e) {
      throw new IOException("malformed checkpoint: " + e.getMessage(), e);
    }
    java.util.List<byte[]> proof =
        n >= size ? client.consistencyProof(size, n) : java.util.List.of();
    SignedNote.NoteSignature line;
    try {
      line = cosign(note, proof);
    } catch (FormatException e) {
      throw new IOException("refusing to cosign: " + e.getMessage(), e);
    }
    client.cosign(n, line.line());
    return line;
  }
}
