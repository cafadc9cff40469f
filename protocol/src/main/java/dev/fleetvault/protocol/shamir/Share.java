package dev.fleetvault.protocol.shamir;

import dev.fleetvault.protocol.group.Scalar;
import java.util.Objects;

/**
 * One Shamir share {@code (x, y = f(x))} over the P-256 scalar field.
 *
 * <h2>Guarantees</h2>
 *
 * {@code x} is in [1, {@link Shamir#MAX_SHARES}]; {@code y} is secret and never printed.
 */
public final class Share {
  private final int x;
  private final Scalar y;

  public Share(int x, Scalar y) {
    if (x < 1 || x > Shamir.MAX_SHARES) {
      throw new IllegalArgumentException(
          "share index must be in [1, " + Shamir.MAX_SHARES + "], got " + x);
    }
    this.x = x;
    this.y = Objects.requireNonNull(y, "y");
  }

  /** The evaluation point (member index, 1-based). */
  public int x() {
    return x;
  }

  /** The share value f(x) (secret). */
  public Scalar y() {
    return y;
  }

  @Override
  public String toString() {
    return "Share[x=" + x + ", y redacted]";
  }
}
