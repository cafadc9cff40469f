package dev.fleetvault.protocol.oprf;

import java.nio.charset.StandardCharsets;

/**
 * RFC 9497 protocol modes supported for suite P256-SHA256.
 *
 * <h2>Guarantees</h2>
 *
 * {@link #contextString()} is exactly RFC 9497 §3.1: {@code "OPRFV1-" || I2OSP(mode, 1) || "-" ||
 * "P256-SHA256"}. POPRF (mode 2) is not offered: Fleetvault does not use it.
 */
public enum OprfMode {
  /** Base mode 0x00: no verifiability. */
  OPRF(0),
  /** Verifiable mode 0x01: the server proves its evaluation against its public key. */
  VOPRF(1);

  /** RFC 9497 suite identifier. */
  public static final String SUITE_ID = "P256-SHA256";

  private final int id;

  OprfMode(int id) {
    this.id = id;
  }

  /** The RFC 9497 mode byte. */
  public int id() {
    return id;
  }

  /** {@code "OPRFV1-" || I2OSP(mode, 1) || "-P256-SHA256"}. */
  public byte[] contextString() {
    byte[] head = "OPRFV1-".getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("-" + SUITE_ID).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + 1 + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    out[head.length] = (byte) id;
    System.arraycopy(tail, 0, out, head.length + 1, tail.length);
    return out;
  }
}
