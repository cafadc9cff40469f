package dev.fleetvault.protocol.oprf;

import dev.fleetvault.protocol.group.InvalidEncodingException;
import dev.fleetvault.protocol.group.P256;
import dev.fleetvault.protocol.group.Scalar;
import java.util.Arrays;
import java.util.Objects;

/**
 * An RFC 9497 DLEQ proof {@code (c, s)}, encoded as {@code SerializeScalar(c) ||
 * SerializeScalar(s)} (64 bytes).
 *
 * <h2>Guarantees</h2>
 *
 * {@link #decode} accepts exactly 64 bytes whose halves are scalars in [0, n-1] and throws {@link
 * InvalidEncodingException} otherwise. Immutable. Public data (safe to print).
 */
public final class DleqProof {
  /** Encoded length in bytes. */
  public static final int LENGTH = 2 * P256.SCALAR_LENGTH;

  private final Scalar c;
  private final Scalar s;

  public DleqProof(Scalar c, Scalar s) {
    this.c = Objects.requireNonNull(c, "c");
    this.s = Objects.requireNonNull(s, "s");
  }

  /** Decodes 64 bytes {@code c || s}. */
  public static DleqProof decode(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length != LENGTH) {
      throw new InvalidEncodingException(
          "DLEQ proof must be " + LENGTH + " bytes, got " + encoded.length);
    }
    return new DleqProof(
        Scalar.decode(Arrays.copyOf(encoded, 32)),
        Scalar.decode(Arrays.copyOfRange(encoded, 32, 64)));
  }

  public byte[] encode() {
    byte[] out = Arrays.copyOf(c.encode(), LENGTH);
    System.arraycopy(s.encode(), 0, out, 32, 32);
    return out;
  }

  public Scalar c() {
    return c;
  }

  public Scalar s() {
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DleqProof && Arrays.equals(encode(), ((DleqProof) o).encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "DleqProof[" + org.bouncycastle.util.encoders.Hex.toHexString(encode()) + "]";
  }
}
