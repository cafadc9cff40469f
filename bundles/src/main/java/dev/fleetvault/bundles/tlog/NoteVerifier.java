package dev.fleetvault.bundles.tlog;

import dev.fleetvault.bundles.crypto.Crypto;
import java.nio.charset.StandardCharsets;

/**
 * Verifies Ed25519 (type 0x01) note signatures per c2sp.org/signed-note: signature lines whose
 * (name, key ID) do not match the key are ignored; a matching line that fails to verify rejects the
 * note; at least one matching line must verify.
 */
public final class NoteVerifier {
  private NoteVerifier() {}

  /** Outcome of checking a note against one key. */
  public enum Outcome {
    /** A signature by the key verified and none by the key failed. */
    VERIFIED,
    /** No signature line carries the key's name and ID. */
    NO_SIGNATURE_BY_KEY,
    /** A line with the key's name and ID did not verify. */
    BAD_SIGNATURE
  }

  /** Checks {@code note} against an Ed25519 (type 0x01) key. */
  public static Outcome verify(SignedNote note, NoteKey key) {
    if (key.type() != NoteKey.TYPE_ED25519) {
      throw new IllegalArgumentException("not an Ed25519 note key");
    }
    byte[] msg = note.text().getBytes(StandardCharsets.UTF_8);
    int id = key.keyId();
    boolean seen = false;
    for (SignedNote.NoteSignature s : note.signatures()) {
      if (s.keyName().equals(key.name()) && s.keyId() == id) {
        if (!Crypto.ed25519Verify(key.publicKey(), msg, s.signature())) {
          return Outcome.BAD_SIGNATURE;
        }
        seen = true;
      }
    }
    return seen ? Outcome.VERIFIED : Outcome.NO_SIGNATURE_BY_KEY;
  }

  /**
   * Produces an Ed25519 signature line for {@code text} with a signing function (e.g. an HSM key).
   *
   * @param key the public key the function signs with
   * @param signer returns a 64-byte RFC 8032 signature of its input
   */
  public static SignedNote.NoteSignature sign(
      String text, NoteKey key, java.util.function.Function<byte[], byte[]> signer) {
    SignedNote.checkText(text);
    byte[] sig = signer.apply(text.getBytes(StandardCharsets.UTF_8));
    if (sig == null || sig.length != 64) {
      throw new IllegalStateException("Ed25519 signer returned a signature of the wrong length");
    }
    return new SignedNote.NoteSignature(key.name(), key.keyId(), sig);
  }
}
