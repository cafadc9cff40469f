package dev.fleetvault.protocol.hpke;

import dev.fleetvault.protocol.hpke.impl.HpkeState;

/**
 * An RFC 9180 sender context (base mode): the encapsulated key to send and Seal/Export.
 *
 * <h2>Guarantees</h2>
 *
 * Nonces come from the key schedule and a message counter, never repeat within a context. Not
 * thread-safe. {@link #close()} wipes the keys. Only the encapsulation is public.
 */
public final class HpkeSenderContext implements AutoCloseable {
  private final byte[] enc;
  private final HpkeState state;

  HpkeSenderContext(byte[] enc, HpkeState state) {
    this.enc = enc;
    this.state = state;
  }

  /** The 65-byte encapsulated key (the ephemeral public key, SEC1 uncompressed). */
  public byte[] enc() {
    return enc.clone();
  }

  /** Seal(aad, pt): ciphertext || 16-byte tag; advances the sequence number. */
  public byte[] seal(byte[] aad, byte[] plaintext) {
    return state.seal(aad, plaintext);
  }

  /** Export(exporter_context, L): a secret shared with the recipient. */
  public byte[] export(byte[] exporterContext, int length) {
    return state.export(exporterContext, length);
  }

  @Override
  public void close() {
    state.close();
  }

  @Override
  public String toString() {
    return "HpkeSenderContext[redacted]";
  }
}
