package dev.fleetvault.protocol.kdf;

import dev.fleetvault.protocol.secret.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF-SHA256 (RFC 5869) over Bouncy Castle, plus Fleetvault's labelled derivation.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@link #extract}/{@link #expand} are exactly RFC 5869 (an empty or null salt means 32 zero
 *       bytes); {@code expand} throws {@link IllegalArgumentException} for L &gt; 255·32.
 *   <li>{@link #deriveLabeled} is injective in (label, context): info = {@code "fleetvault/v1 " ||
 *       I2OSP(len(label), 2) || label (ASCII) || context}; two different labels or contexts can
 *       never yield the same info string.
 * </ul>
 */
public final class Hkdf {
  /** HKDF-SHA256 output limit (255 · HashLen). */
  public static final int MAX_OUTPUT = 255 * 32;

  /** Prefix of every labelled info string. */
  public static final String LABEL_PREFIX = "fleetvault/v1 ";

  private Hkdf() {}

  /** HKDF-Extract(salt, ikm) = HMAC-SHA256(salt, ikm); 32 bytes. */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    Objects.requireNonNull(ikm, "ikm");
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    return g.extractPRK(salt == null || salt.length == 0 ? new byte[32] : salt, ikm);
  }

  /** HKDF-Expand(prk, info, length). */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    Objects.requireNonNull(prk, "prk");
    if (length < 0 || length > MAX_OUTPUT) {
      throw new IllegalArgumentException(
          "HKDF-SHA256 output length must be in [0, 8160], got " + length);
    }
    if (prk.length < 32) {
      throw new IllegalArgumentException("HKDF PRK must be at least 32 bytes, got " + prk.length);
    }
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    g.init(HKDFParameters.skipExtractParameters(prk, info == null ? new byte[0] : info));
    byte[] out = new byte[length];
    g.generateBytes(out, 0, length);
    return out;
  }

  /** HKDF(salt, ikm, info, length) = Expand(Extract(salt, ikm), info, length). */
  public static byte[] extractAndExpand(byte[] salt, byte[] ikm, byte[] info, int length) {
    byte[] prk = extract(salt, ikm);
    try {
      return expand(prk, info, length);
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  /**
   * Labelled derivation: {@code HKDF(salt, ikm, info, length)} with {@code info = "fleetvault/v1 "
   * || I2OSP(len(label), 2) || label || context}.
   */
  public static SecretBytes deriveLabeled(
      SecretBytes ikm, byte[] salt, String label, byte[] context, int length) {
    byte[] k = ikm.copy();
    try {
      return SecretBytes.wrap(extractAndExpand(salt, k, labeledInfo(label, context), length));
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** The info string {@link #deriveLabeled} uses (exposed for specification tests). */
  public static byte[] labeledInfo(String label, byte[] context) {
    Objects.requireNonNull(label, "label");
    byte[] prefix = LABEL_PREFIX.getBytes(StandardCharsets.US_ASCII);
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    if (!StandardCharsets.US_ASCII.newEncoder().canEncode(label) || l.length > 0xffff) {
      throw new IllegalArgumentException("label must be ASCII and shorter than 65536 bytes");
    }
    byte[] c = context == null ? new byte[0] : context;
    byte[] out = new byte[prefix.length + 2 + l.length + c.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    out[prefix.length] = (byte) (l.length >>> 8);
    out[prefix.length + 1] = (byte) l.length;
    System.arraycopy(l, 0, out, prefix.length + 2, l.length);
    System.arraycopy(c, 0, out, prefix.length + 2 + l.length, c.length);
    return out;
  }
}
