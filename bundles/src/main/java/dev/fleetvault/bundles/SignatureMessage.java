package dev.fleetvault.bundles;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the independent signer signs and logs: {@code {ciphersuite, namespace, timestamp, epoch,
 * digest}} (the shape of Meta's/Cloudflare's auditor signature message), encoded byte-exactly as
 *
 * <pre>
 *   "fleetvault/signature-message/v1" 0x00   (32-byte label, domain separation)
 *   uint16 ciphersuite                       (big-endian; 0x0F01 = Ed25519 over this encoding)
 *   uint8  len(namespace) || namespace       (UTF-8, 1..255 bytes)
 *   uint64 timestamp                         (milliseconds since the Unix epoch, big-endian)
 *   uint64 epoch                             (big-endian, ≥ 1)
 *   uint8  32 || digest                      (SHA-256 of the canonical fleet artifact)
 * </pre>
 *
 * <p>These bytes are both the Ed25519-signed message and the audit-log entry (the Merkle leaf is
 * {@code SHA-256(0x00 || bytes)}). The label contains a NUL byte, so it can never equal a signed
 * note text (which the same signer key signs for checkpoints).
 *
 * @param ciphersuite {@link #CIPHERSUITE_ED25519_V1}
 * @param namespace e.g. {@code fleetvault.fleet_keys.v1}
 * @param timestampMillis when the signer accepted the entry
 * @param epoch fleet epoch, ≥ 1
 * @param digest 32-byte SHA-256 of the artifact
 */
public record SignatureMessage(
    int ciphersuite, String namespace, long timestampMillis, long epoch, byte[] digest) {
  /** The only ciphersuite: Ed25519 over this binary encoding. */
  public static final int CIPHERSUITE_ED25519_V1 = 0x0F01;

  private static final byte[] LABEL =
      "fleetvault/signature-message/v1\0".getBytes(StandardCharsets.US_ASCII);

  /** Validates and copies. */
  public SignatureMessage {
    if (ciphersuite != CIPHERSUITE_ED25519_V1) {
      throw new FormatException("unknown ciphersuite " + ciphersuite);
    }
    byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
    if (ns.length == 0 || ns.length > 255 || !FleetArtifact.isValidName(namespace)) {
      throw new FormatException("namespace must be 1..255 bytes of [a-z0-9._-]");
    }
    if (timestampMillis < 0) {
      throw new FormatException("timestamp is negative");
    }
    if (epoch < 1) {
      throw new FormatException("epoch must be at least 1");
    }
    if (digest.length != 32) {
      throw new FormatException("digest must be 32 bytes");
    }
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  /** The exact signed (and logged) bytes. */
  public byte[] encode() {
    byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(LABEL.length + 2 + 1 + ns.length + 8 + 8 + 1 + 32);
    b.put(LABEL)
        .putShort((short) ciphersuite)
        .put((byte) ns.length)
        .put(ns)
        .putLong(timestampMillis)
        .putLong(epoch)
        .put((byte) 32)
        .put(digest);
    return b.array();
  }

  /** Decodes the exact encoding (no trailing bytes). */
  public static SignatureMessage decode(byte[] bytes) {
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      byte[] label = new byte[LABEL.length];
      b.get(label);
      if (!Arrays.equals(label, LABEL)) {
        throw new FormatException("signature message has the wrong label");
      }
      int cs = b.getShort() & 0xFFFF;
      byte[] ns = new byte[b.get() & 0xFF];
      b.get(ns);
      long ts = b.getLong();
      long epoch = b.getLong();
      if ((b.get() & 0xFF) != 32) {
        throw new FormatException("signature message digest length must be 32");
      }
      byte[] d = new byte[32];
      b.get(d);
      if (b.hasRemaining()) {
        throw new FormatException("trailing bytes after signature message");
      }
      SignatureMessage m =
          new SignatureMessage(cs, new String(ns, StandardCharsets.UTF_8), ts, epoch, d);
      if (!Arrays.equals(m.encode(), bytes)) {
        throw new FormatException("signature message is not canonical");
      }
      return m;
    } catch (java.nio.BufferUnderflowException e) {
      throw new FormatException("truncated signature message");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignatureMessage m && Arrays.equals(m.encode(), encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "SignatureMessage["
        + namespace
        + " epoch="
        + epoch
        + " digest="
        + dev.fleetvault.bundles.codec.Codec.hex(digest)
        + " ts="
        + timestampMillis
        + "]";
  }
}
