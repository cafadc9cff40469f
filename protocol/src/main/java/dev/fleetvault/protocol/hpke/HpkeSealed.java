package dev.fleetvault.protocol.hpke;

/**
 * A single-shot HPKE message: the encapsulated key and the ciphertext of sequence number 0.
 *
 * <h2>Guarantees</h2>
 *
 * Public data; arrays are copied in and out.
 */
public record HpkeSealed(byte[] enc, byte[] ciphertext) {
  public HpkeSealed {
    enc = enc.clone();
    ciphertext = ciphertext.clone();
  }

  @Override
  public byte[] enc() {
    return enc.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }
}
