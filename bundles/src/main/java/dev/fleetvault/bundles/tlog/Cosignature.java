package dev.fleetvault.bundles.tlog;

import dev.fleetvault.bundles.crypto.Crypto;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Ed25519 witness cosignatures, c2sp.org/tlog-cosignature (signature type 0x04): the note signature
 * is {@code u64 timestamp || Ed25519 signature} over {@code "cosignature/v1\ntime <timestamp>\n" ||
 * checkpoint note text}.
 *
 * <p>Semantics (by the witness): as of {@code timestamp}, this is the largest consistent tree head
 * it has observed for the origin. A witness must check consistency with what it saw before
 * cosigning; see {@code Witness} usage in docs/AUDIT.md.
 */
public final class Cosignature {
  private Cosignature() {}

  /** The signed message for a checkpoint text and POSIX timestamp (seconds). */
  public static byte[] message(String checkpointText, long timestamp) {
    if (timestamp < 0) {
      throw new IllegalArgumentException("timestamp must be non-negative");
    }
    return ("cosignature/v1\ntime " + timestamp + "\n" + checkpointText)
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Produces a cosignature line.
   *
   * @param key the witness key (type 0x04)
   * @param signer signs with the witness's Ed25519 private key, returns 64 bytes
   */
  public static SignedNote.NoteSignature sign(
      String checkpointText, long timestamp, NoteKey key, Function<byte[], byte[]> signer) {
    requireCosignKey(key);
    byte[] sig = signer.apply(message(checkpointText, timestamp));
    if (sig == null || sig.length != 64) {
      throw new IllegalStateException("Ed25519 signer returned a signature of the wrong length");
    }
    ByteBuffer b = ByteBuffer.allocate(72).putLong(timestamp).put(sig);
    return new SignedNote.NoteSignature(key.name(), key.keyId(), b.array());
  }

  /**
   * The timestamp of a valid cosignature by {@code key} on {@code note}, or -1 if the note carries
   * no line by this key, or -2 if such a line fails to verify.
   */
  public static long verify(SignedNote note, NoteKey key) {
    requireCosignKey(key);
    int id = key.keyId();
    long ts = -1;
    for (SignedNote.NoteSignature s : note.signatures()) {
      if (!s.keyName().equals(key.name()) || s.keyId() != id) {
        continue;
      }
      byte[] raw = s.signature();
      if (raw.length != 72) {
        return -2;
      }
      ByteBuffer b = ByteBuffer.wrap(raw);
      long t = b.getLong();
      byte[] sig = new byte[64];
      b.get(sig);
      if (t < 0 || !Crypto.ed25519Verify(key.publicKey(), message(note.text(), t), sig)) {
        return -2;
      }
      ts = Math.max(ts, t);
    }
    return ts;
  }

  private static void requireCosignKey(NoteKey key) {
    if (key.type() != NoteKey.TYPE_COSIGNATURE_V1) {
      throw new IllegalArgumentException("not a cosignature/v1 (type 0x04) key");
    }
  }
}
