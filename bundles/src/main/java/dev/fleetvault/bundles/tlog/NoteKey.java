package dev.fleetvault.bundles.tlog;

import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.crypto.Crypto;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A note verifier key: name, signature type and public key, with its C2SP key ID {@code
 * SHA-256(name || 0x0A || type || public key)[:4]} and its "vkey" text form {@code <name>+<hex key
 * ID>+<base64(type || public key)>}.
 *
 * @param name key name (for a log: its origin)
 * @param type signature type byte: {@link #TYPE_ED25519} or {@link #TYPE_COSIGNATURE_V1}
 * @param publicKey 32-byte Ed25519 public key
 */
public record NoteKey(String name, byte type, byte[] publicKey) {
  /** Ed25519 note signatures (signed-note §Ed25519). */
  public static final byte TYPE_ED25519 = 0x01;

  /** Timestamped Ed25519 witness cosignatures (c2sp.org/tlog-cosignature). */
  public static final byte TYPE_COSIGNATURE_V1 = 0x04;

  /** Validates and copies. */
  public NoteKey {
    SignedNote.checkKeyName(name);
    if (type != TYPE_ED25519 && type != TYPE_COSIGNATURE_V1) {
      throw new FormatException("unsupported note signature type " + type);
    }
    if (publicKey.length != 32) {
      throw new FormatException("Ed25519 public key must be 32 bytes");
    }
    publicKey = publicKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The 32-bit key ID. */
  public int keyId() {
    byte[] h =
        Crypto.sha256(name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', type}, publicKey);
    return ByteBuffer.wrap(h, 0, 4).getInt();
  }

  /** The vkey text form. */
  public String vkey() {
    byte[] tp = new byte[33];
    tp[0] = type;
    System.arraycopy(publicKey, 0, tp, 1, 32);
    return name
        + "+"
        + String.format("%08x", keyId())
        + "+"
        + Base64.getEncoder().encodeToString(tp);
  }

  /** Parses a vkey, checking that its key ID matches its contents. */
  public static NoteKey parseVkey(String vkey) {
    String[] parts = vkey.trim().split("\\+", 3); // the base64 key may itself contain +
    if (parts.length != 3) {
      throw new FormatException("vkey must be <name>+<hex id>+<base64 key>");
    }
    byte[] tp;
    byte[] id;
    try {
      tp = Codec.b64Decode(parts[2]);
      id = Codec.hexDecode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new FormatException("vkey has a malformed key ID or key");
    }
    if (tp.length != 33 || id.length != 4) {
      throw new FormatException("vkey key must be a type byte and a 32-byte Ed25519 key");
    }
    NoteKey k = new NoteKey(parts[0], tp[0], Arrays.copyOfRange(tp, 1, 33));
    if (k.keyId() != ByteBuffer.wrap(id).getInt()) {
      throw new FormatException("vkey key ID does not match its key");
    }
    return k;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteKey k
        && k.name.equals(name)
        && k.type == type
        && Arrays.equals(k.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return vkey();
  }
}
