package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.wire.WireLimits;
import java.util.Objects;

/**
 * One fleet member as a client sees it: its index (1..n, its Shamir x-coordinate) and its HPKE
 * public key (from the verified validation bundle).
 *
 * <h2>Guarantees</h2>
 *
 * The key is a valid non-identity P-256 point (checked on construction); immutable.
 */
public final class MemberKey {
  private final int index;
  private final GroupElement hpkePublicKey;

  private MemberKey(int index, GroupElement hpkePublicKey) {
    this.index = index;
    this.hpkePublicKey = hpkePublicKey;
  }

  /** Member {@code index} with its 65-byte SEC1 uncompressed HPKE public key. */
  public static MemberKey of(int index, byte[] hpkePublicKeyUncompressed) {
    if (index < 1 || index > WireLimits.MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "member index must be in 1.." + WireLimits.MAX_MEMBERS + ", got " + index);
    }
    return new MemberKey(
        index, GroupElement.decodeUncompressed(Objects.requireNonNull(hpkePublicKeyUncompressed)));
  }

  /** The member index i (1..n). */
  public int index() {
    return index;
  }

  /** The HPKE public key pkR. */
  public GroupElement hpkePublicKey() {
    return hpkePublicKey;
  }

  @Override
  public String toString() {
    return "MemberKey[" + index + "]";
  }
}
