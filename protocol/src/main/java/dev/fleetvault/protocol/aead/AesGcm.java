package dev.fleetvault.protocol.aead;

import dev.fleetvault.protocol.secret.SecretBytes;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-GCM (NIST SP 800-38D) with a 96-bit nonce and a 128-bit tag, over Bouncy Castle. AES-128
 * serves HPKE (RFC 9180 aead_id 1); AES-256 encrypts the user's secret under the data key.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Keys must be 16 or 32 bytes and nonces exactly 12 bytes; anything else throws {@link
 *       IllegalArgumentException} (192-bit keys and other nonce sizes are refused by design).
 *   <li>{@link #decrypt} throws {@link AEADBadTagException} for any ciphertext that does not
 *       authenticate (including one shorter than the tag) and releases no plaintext.
 *   <li>The caller must never reuse a (key, nonce) pair; {@link #seal} picks a random nonce and
 *       prepends it (safe for up to 2^32 messages per key).
 * </ul>
 */
public final class AesGcm {
  /** Nonce length in bytes. */
  public static final int NONCE_LENGTH = 12;

  /** Tag length in bytes. */
  public static final int TAG_LENGTH = 16;

  private AesGcm() {}

  /** {@code ciphertext || tag}. */
  public static byte[] encrypt(SecretBytes key, byte[] nonce, byte[] aad, byte[] plaintext) {
    try {
      return run(true, key, nonce, aad, plaintext);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException("encryption cannot fail authentication", e);
    }
  }

  /**
   * Plaintext of {@code ciphertext || tag}; throws {@link AEADBadTagException} if it does not
   * authenticate.
   */
  public static byte[] decrypt(SecretBytes key, byte[] nonce, byte[] aad, byte[] ciphertextAndTag)
      throws AEADBadTagException {
    if (ciphertextAndTag.length < TAG_LENGTH) {
      throw new AEADBadTagException("ciphertext shorter than the 16-byte tag");
    }
    return run(false, key, nonce, aad, ciphertextAndTag);
  }

  /** {@code nonce || ciphertext || tag} with a fresh random nonce. */
  public static byte[] seal(SecretBytes key, byte[] aad, byte[] plaintext, SecureRandom random) {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    byte[] ct = encrypt(key, nonce, aad, plaintext);
    byte[] out = Arrays.copyOf(nonce, NONCE_LENGTH + ct.length);
    System.arraycopy(ct, 0, out, NONCE_LENGTH, ct.length);
    return out;
  }

  /** Opens the output of {@link #seal}. */
  public static byte[] open(SecretBytes key, byte[] aad, byte[] sealed) throws AEADBadTagException {
    if (sealed.length < NONCE_LENGTH + TAG_LENGTH) {
      throw new AEADBadTagException("sealed value shorter than nonce and tag");
    }
    return decrypt(
        key,
        Arrays.copyOf(sealed, NONCE_LENGTH),
        aad,
        Arrays.copyOfRange(sealed, NONCE_LENGTH, sealed.length));
  }

  private static byte[] run(boolean encrypt, SecretBytes key, byte[] nonce, byte[] aad, byte[] in)
      throws AEADBadTagException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(in, "input");
    if (key.length() != 16 && key.length() != 32) {
      throw new IllegalArgumentException("AES-GCM key must be 16 or 32 bytes, got " + key.length());
    }
    if (nonce == null || nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException(
          "AES-GCM nonce must be 12 bytes, got " + (nonce == null ? "null" : nonce.length));
    }
    byte[] k = key.copy();
    try {
      GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
      gcm.init(
          encrypt,
          new AEADParameters(
              new KeyParameter(k), TAG_LENGTH * 8, nonce, aad == null ? new byte[0] : aad));
      byte[] out = new byte[gcm.getOutputSize(in.length)];
      int n = gcm.processBytes(in, 0, in.length, out, 0);
      n += gcm.doFinal(out, n);
      return n == out.length ? out : Arrays.copyOf(out, n);
    } catch (InvalidCipherTextException e) {
      throw new AEADBadTagException("AES-GCM authentication failed");
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }
}
