package dev.fleetvault.protocol.hpke.impl;

import dev.fleetvault.protocol.aead.AesGcm;
import dev.fleetvault.protocol.secret.SecretBytes;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * RFC 9180 §5.1 KeySchedule output and §5.2/§5.3 context operations (AES-128-GCM, HKDF-SHA256).
 * Internal: not API. Not thread-safe (the sequence number is state).
 *
 * <h2>Guarantees</h2>
 *
 * Nonces are base_nonce XOR seq and seq advances only after a successful seal/open; {@link
 * #close()} wipes key and exporter secret; only modes base and psk are accepted.
 */
public final class HpkeState implements AutoCloseable {
  /** Mode byte: base. */
  public static final byte MODE_BASE = 0x00;

  /** Mode byte: psk. */
  public static final byte MODE_PSK = 0x01;

  private static final int NK = 16;
  private static final int NN = 12;
  private static final int NH = 32;

  private final SecretBytes key;
  private final byte[] baseNonce;
  private final SecretBytes exporterSecret;
  private long seq;

  private HpkeState(SecretBytes key, byte[] baseNonce, SecretBytes exporterSecret) {
    this.key = key;
    this.baseNonce = baseNonce;
    this.exporterSecret = exporterSecret;
  }

  /** DHKEM ExtractAndExpand(dh, kem_context) with Nsecret = 32. */
  public static SecretBytes extractAndExpand(byte[] dh, byte[] kemContext) {
    byte[] prk = HpkeKdf.KEM.labeledExtract(new byte[0], "eae_prk", dh);
    try {
      return SecretBytes.wrap(HpkeKdf.KEM.labeledExpand(prk, "shared_secret", kemContext, 32));
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  /** KeySchedule(mode, shared_secret, info, psk, psk_id) for modes base and psk. */
  public static HpkeState keySchedule(
      byte mode, SecretBytes sharedSecret, byte[] info, byte[] psk, byte[] pskId) {
    boolean gotPsk = psk.length > 0;
    if (gotPsk != (pskId.length > 0) || gotPsk != (mode == MODE_PSK)) {
      throw new IllegalArgumentException("inconsistent PSK inputs for HPKE mode " + mode);
    }
    HpkeKdf k = HpkeKdf.HPKE;
    byte[] pskIdHash = k.labeledExtract(new byte[0], "psk_id_hash", pskId);
    byte[] infoHash = k.labeledExtract(new byte[0], "info_hash", info);
    byte[] ctx = HpkeKdf.concat(new byte[] {mode}, pskIdHash, infoHash);
    byte[] ss = sharedSecret.copy();
    byte[] secret = k.labeledExtract(ss, "secret", psk);
    try {
      return new HpkeState(
          SecretBytes.wrap(k.labeledExpand(secret, "key", ctx, NK)),
          k.labeledExpand(secret, "base_nonce", ctx, NN),
          SecretBytes.wrap(k.labeledExpand(secret, "exp", ctx, NH)));
    } finally {
      Arrays.fill(ss, (byte) 0);
      Arrays.fill(secret, (byte) 0);
    }
  }

  public byte[] seal(byte[] aad, byte[] plaintext) {
    byte[] ct = AesGcm.encrypt(key, nonce(), aad, plaintext);
    increment();
    return ct;
  }

  public byte[] open(byte[] aad, byte[] ciphertext) throws AEADBadTagException {
    byte[] pt = AesGcm.decrypt(key, nonce(), aad, ciphertext);
    increment();
    return pt;
  }

  /** Export(exporter_context, L) = LabeledExpand(exporter_secret, "sec", exporter_context, L). */
  public byte[] export(byte[] exporterContext, int length) {
    if (length < 0 || length > 255 * NH) {
      throw new IllegalArgumentException("export length must be in [0, 8160], got " + length);
    }
    byte[] es = exporterSecret.copy();
    try {
      return HpkeKdf.HPKE.labeledExpand(es, "sec", exporterContext, length);
    } finally {
      Arrays.fill(es, (byte) 0);
    }
  }

  /** The current sequence number (messages sealed/opened so far). */
  public long sequence() {
    return seq;
  }

  private byte[] nonce() {
    if (key.isWiped()) {
      throw new IllegalStateException("HPKE context was closed");
    }
    byte[] n = baseNonce.clone();
    long s = seq;
    for (int i = NN - 1; i >= NN - 8; i--) {
      n[i] ^= (byte) s;
      s >>>= 8;
    }
    return n;
  }

  private void increment() {
    if (seq == Long.MAX_VALUE) {
      throw new IllegalStateException("HPKE message limit reached");
    }
    seq++;
  }

  @Override
  public void close() {
    key.wipe();
    exporterSecret.wipe();
  }
}
