package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.WireLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a client must know about a fleet (a "realm") to run the protocol: its id, its members' HPKE
 * keys, the threshold and the Argon2id parameter set for PIN stretching. In production this comes
 * from a verified validation bundle.
 *
 * <h2>Guarantees</h2>
 *
 * Validated on construction: n = number of members in 1..{@link WireLimits#MAX_MEMBERS}, member
 * indexes exactly 1..n, 1 &le; t &le; n, fleet id 1..128 UTF-8 bytes, known PIN parameter id.
 * Immutable.
 */
public final class RealmConfig {
  private final String fleetId;
  private final int threshold;
  private final Map<Integer, MemberKey> members;
  private final String pinParams;

  private RealmConfig(
      String fleetId, int threshold, Map<Integer, MemberKey> members, String pinParams) {
    this.fleetId = fleetId;
    this.threshold = threshold;
    this.members = members;
    this.pinParams = pinParams;
  }

  /**
   * A realm. {@code pinParams} names an Argon2id parameter set (see PROTOCOL.md "PIN stretching";
   * the cheap test set is only for tests).
   */
  public static RealmConfig of(
      String fleetId, int threshold, List<MemberKey> members, String pinParams) {
    Objects.requireNonNull(fleetId, "fleetId");
    Objects.requireNonNull(members, "members");
    Objects.requireNonNull(pinParams, "pinParams");
    int idLen = fleetId.getBytes(StandardCharsets.UTF_8).length;
    if (idLen < 1 || idLen > WireLimits.MAX_FLEET_ID) {
      throw new IllegalArgumentException(
          "fleet id must be 1.." + WireLimits.MAX_FLEET_ID + " UTF-8 bytes");
    }
    int n = members.size();
    if (n < 1 || n > WireLimits.MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "a realm has 1.." + WireLimits.MAX_MEMBERS + " members, got " + n);
    }
    if (threshold < 1 || threshold > n) {
      throw new IllegalArgumentException("threshold must be in 1.." + n + ", got " + threshold);
    }
    Map<Integer, MemberKey> byIndex = new TreeMap<>();
    for (MemberKey m : members) {
      if (m.index() > n || byIndex.put(m.index(), m) != null) {
        throw new IllegalArgumentException(
            "member indexes must be exactly 1.." + n + " (bad or duplicate " + m.index() + ")");
      }
    }
    PinStretch.requireKnown(pinParams);
    return new RealmConfig(fleetId, threshold, Map.copyOf(byIndex), pinParams);
  }

  /** The fleet id (bound into the PIN salt). */
  public String fleetId() {
    return fleetId;
  }

  /** t. */
  public int threshold() {
    return threshold;
  }

  /** n. */
  public int size() {
    return members.size();
  }

  /** Member {@code index} (1..n). */
  public MemberKey member(int index) {
    MemberKey m = members.get(index);
    if (m == null) {
      throw new IllegalArgumentException("no member " + index + " in this realm");
    }
    return m;
  }

  /** The Argon2id parameter set id. */
  public String pinParams() {
    return pinParams;
  }

  @Override
  public String toString() {
    return "RealmConfig["
        + fleetId
        + ", t="
        + threshold
        + ", n="
        + members.size()
        + ", "
        + pinParams
        + "]";
  }
}
