package dev.fleetvault.protocol.threshold;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.shamir.Shamir;
import java.util.Objects;

/**
 * Member i's share {@code k_i} of the threshold OPRF root key, with its commitment {@code K_i =
 * k_i·G}.
 *
 * <h2>Guarantees</h2>
 *
 * {@code k_i} is non-zero and the index is in [1, 255]; the commitment always matches the share.
 * {@link #toString()} never shows {@code k_i}.
 */
public final class MemberKeyShare {
  private final int index;
  private final Scalar share;
  private final GroupElement commitment;

  public MemberKeyShare(int index, Scalar share) {
    if (index < 1 || index > Shamir.MAX_SHARES) {
      throw new IllegalArgumentException(
          "member index must be in [1, " + Shamir.MAX_SHARES + "], got " + index);
    }
    if (Objects.requireNonNull(share, "share").isZero()) {
      throw new IllegalArgumentException("key share must not be zero");
    }
    this.index = index;
    this.share = share;
    this.commitment = GroupElement.multiplyGenerator(share);
  }

  /** Member index i (1-based; the Shamir x-coordinate). */
  public int index() {
    return index;
  }

  /** The secret share k_i. */
  public Scalar share() {
    return share;
  }

  /** The public commitment K_i = k_i·G. */
  public GroupElement commitment() {
    return commitment;
  }

  @Override
  public String toString() {
    return "MemberKeyShare[index=" + index + ", share redacted]";
  }
}
