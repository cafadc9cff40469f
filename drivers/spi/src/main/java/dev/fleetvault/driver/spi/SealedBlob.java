package dev.fleetvault.driver.spi;

import java.util.Arrays;

/**
 * The byte layout of {@link HsmDriver#seal} output shared by the built-in drivers: {@code 0x01 ||
 * nonce (12) || ciphertext || tag (16)}. Parsing checks the version and minimum length and throws
 * kind {@link HsmException.Kind#INTEGRITY} otherwise.
 *
 * @param nonce the 12-byte GCM nonce
 * @param ciphertextAndTag the GCM output (ciphertext followed by the 16-byte tag)
 */
public record SealedBlob(byte[] nonce, byte[] ciphertextAndTag) {

  /** Format version byte. */
  public static final byte VERSION = 0x01;

  /** GCM nonce length. */
  public static final int NONCE_LENGTH = 12;

  /** GCM tag length. */
  public static final int TAG_LENGTH = 16;

  /** Serializes to {@code version || nonce || ciphertextAndTag}. */
  public byte[] encode() {
    byte[] out = new byte[1 + NONCE_LENGTH + ciphertextAndTag.length];
    out[0] = VERSION;
    System.arraycopy(nonce, 0, out, 1, NONCE_LENGTH);
    System.arraycopy(ciphertextAndTag, 0, out, 1 + NONCE_LENGTH, ciphertextAndTag.length);
    return out;
  }

  /** Parses a sealed blob. */
  public static SealedBlob decode(byte[] sealed) throws HsmFatalException {
    if (sealed == null || sealed.length < 1 + NONCE_LENGTH + TAG_LENGTH || sealed[0] != VERSION) {
      throw new HsmFatalException(
          HsmException.Kind.INTEGRITY, "sealed data is malformed or not from this driver family");
    }
    return new SealedBlob(
        Arrays.copyOfRange(sealed, 1, 1 + NONCE_LENGTH),
        Arrays.copyOfRange(sealed, 1 + NONCE_LENGTH, sealed.length));
  }
}
