package dev.fleetvault.protocol.hpke.impl;

import dev.fleetvault.protocol.kdf.Hkdf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RFC 9180 §4 labelled HKDF-SHA256 (LabeledExtract / LabeledExpand) for a given suite_id. Internal:
 * not API.
 *
 * <h2>Guarantees</h2>
 *
 * Byte layout exactly RFC 9180 §4 (vector-checked through the public API).
 */
public final class HpkeKdf {
  private static final byte[] VERSION = ascii("HPKE-v1");

  /** suite_id for DHKEM(P-256, HKDF-SHA256): "KEM" || I2OSP(0x0010, 2). */
  public static final HpkeKdf KEM = new HpkeKdf(concat(ascii("KEM"), new byte[] {0x00, 0x10}));

  /** suite_id for HPKE(0x0010, 0x0001, 0x0001): "HPKE" || kem_id || kdf_id || aead_id. */
  public static final HpkeKdf HPKE =
      new HpkeKdf(concat(ascii("HPKE"), new byte[] {0x00, 0x10, 0x00, 0x01, 0x00, 0x01}));

  private final byte[] suiteId;

  private HpkeKdf(byte[] suiteId) {
    this.suiteId = suiteId;
  }

  /** LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite_id || label || ikm). */
  public byte[] labeledExtract(byte[] salt, String label, byte[] ikm) {
    return Hkdf.extract(salt, concat(VERSION, suiteId, ascii(label), ikm));
  }

  /**
   * LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label
   * || info, L).
   */
  public byte[] labeledExpand(byte[] prk, String label, byte[] info, int length) {
    if (length < 0 || length > 0xffff) {
      throw new IllegalArgumentException("HPKE expand length out of range: " + length);
    }
    byte[] l = {(byte) (length >>> 8), (byte) length};
    return Hkdf.expand(prk, concat(l, VERSION, suiteId, ascii(label), info), length);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }
}
