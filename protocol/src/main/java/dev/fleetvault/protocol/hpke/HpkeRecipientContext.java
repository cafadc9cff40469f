package dev.fleetvault.protocol.hpke;

import dev.fleetvault.protocol.hpke.impl.HpkeState;
import javax.crypto.AEADBadTagException;

/**
 * An RFC 9180 recipient context (base mode): Open/Export.
 *
 * <h2>Guarantees</h2>
 *
 * {@link #open} returns plaintext only if it authenticates under the next sequence number and
 * throws {@link AEADBadTagException} otherwise (the sequence number then does not advance). Not
 * thread-safe. {@link #close()} wipes the keys.
 */
public final class HpkeRecipientContext implements AutoCloseable {
  private final HpkeState state;

  HpkeRecipientContext(HpkeState state) {
    this.state = state;
  }

  /** Open(aad, ct); advances the sequence number on success. */
  public byte[] open(byte[] aad, byte[] ciphertext) throws AEADBadTagException {
    return state.open(aad, ciphertext);
  }

  /** Export(exporter_context, L). */
  public byte[] export(byte[] exporterContext, int length) {
    return state.export(exporterContext, length);
  }

  @Override
  public void close() {
    state.close();
  }

  @Override
  public String toString() {
    return "HpkeRecipientContext[redacted]";
  }
}
