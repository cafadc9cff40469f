package dev.fleetvault.quorum;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link LedgerCommand} with its owner's signature: what travels through the Raft log.
 *
 * <p>Guarantees: immutable; {@link #encode()} is {@code u16 len || canonical || u8 len || DER
 * signature} and {@link #decode(byte[])} accepts exactly that. Nothing here verifies the signature;
 * every replica does inside {@code apply}.
 */
public final class SignedCommand {
  /** Largest DER ECDSA P-256 signature. */
  public static final int MAX_SIGNATURE_LEN = 72;

  private final byte[] canonical;
  private final byte[] signature;

  /** Wraps canonical command bytes and a DER signature over them. */
  public SignedCommand(byte[] canonical, byte[] signature) {
    Objects.requireNonNull(canonical, "canonical");
    Objects.requireNonNull(signature, "signature");
    if (canonical.length == 0 || canonical.length > 0xffff)
      throw new IllegalArgumentException("bad command length");
    if (signature.length == 0 || signature.length > MAX_SIGNATURE_LEN)
      throw new IllegalArgumentException("bad signature length");
    this.canonical = canonical.clone();
    this.signature = signature.clone();
  }

  /**
   * Signs {@code command} with nothing but wrapping: {@code signature} must be over {@code
   * command.canonicalBytes()}.
   */
  public static SignedCommand of(LedgerCommand command, byte[] signature) {
    return new SignedCommand(command.canonicalBytes(), signature);
  }

  public byte[] canonical() {
    return canonical.clone();
  }

  public byte[] signature() {
    return signature.clone();
  }

  /** The envelope bytes. */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(2 + canonical.length + 1 + signature.length);
    b.putShort((short) canonical.length).put(canonical).put((byte) signature.length).put(signature);
    return b.array();
  }

  /** Parses an envelope strictly. @throws IllegalArgumentException if malformed */
  public static SignedCommand decode(byte[] envelope) {
    return decode(envelope, 0, envelope.length);
  }

  /** Parses an envelope from a slice strictly. @throws IllegalArgumentException if malformed */
  public static SignedCommand decode(byte[] buf, int off, int len) {
    try {
      ByteBuffer b = ByteBuffer.wrap(buf, off, len);
      byte[] c = new byte[b.getShort() & 0xffff];
      b.get(c);
      byte[] s = new byte[b.get() & 0xff];
      b.get(s);
      if (b.hasRemaining()) throw new IllegalArgumentException("trailing bytes");
      return new SignedCommand(c, s);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated envelope", e);
    }
  }
}
