package dev.fleetvault.protocol.kdf;

import dev.fleetvault.protocol.secret.SecretBytes;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * HMAC-SHA256 (RFC 2104) over Bouncy Castle, and SHA-256.
 *
 * <h2>Guarantees</h2>
 *
 * {@link #verify} compares the full 32-byte tag in constant time ({@link MessageDigest#isEqual})
 * and rejects tags of any other length; it never throws on a wrong tag.
 */
public final class Hmac {
  /** Tag length in bytes. */
  public static final int TAG_LENGTH = 32;

  private Hmac() {}

  /** HMAC-SHA256(key, message), 32 bytes. */
  public static byte[] sha256(byte[] key, byte[] message) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(message, "message");
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key));
    mac.update(message, 0, message.length);
    byte[] out = new byte[TAG_LENGTH];
    mac.doFinal(out, 0);
    return out;
  }

  /** HMAC-SHA256 with a secret key held in {@link SecretBytes}. */
  public static byte[] sha256(SecretBytes key, byte[] message) {
    byte[] k = key.copy();
    try {
      return sha256(k, message);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * Constant-time check that {@code tag} is HMAC-SHA256(key, message); false for any other length.
   */
  public static boolean verify(SecretBytes key, byte[] message, byte[] tag) {
    if (tag == null || tag.length != TAG_LENGTH) {
      return false;
    }
    return MessageDigest.isEqual(sha256(key, message), tag);
  }

  /** SHA-256(message). */
  public static byte[] sha256Digest(byte[] message) {
    SHA256Digest d = new SHA256Digest();
    d.update(message, 0, message.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
