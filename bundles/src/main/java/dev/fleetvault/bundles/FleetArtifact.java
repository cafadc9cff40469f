package dev.fleetvault.bundles;

import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.crypto.Crypto;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet artifact: the public description of one fleet epoch that clients seal to. Its one
 * encoding is canonical JSON ({@link CanonicalJson}), e.g.
 *
 * <pre>{"epoch":1,"evidence_digest":"","fleet_id":"local","members":[{"data_center":"dc1",
 * "hpke_public_key":"BC…=","id":"m1","role":"member","signing_public_key":"BD…="}],
 * "namespace":"fleetvault.fleet_keys.v1","not_after":1798761600,"not_before":1767225600,"threshold":2}
 * </pre>
 *
 * <p>Rules: members sorted by id, ids unique, {@code 1 ≤ threshold ≤ members ≤ 255}, {@code
 * not_before < not_after} (Unix seconds; valid for {@code not_before ≤ now < not_after}), {@code
 * evidence_digest} empty or 32 bytes lowercase hex. {@link #digest()} is SHA-256 of the canonical
 * bytes; that digest is what the signer signs and logs.
 *
 * @param namespace {@link #NAMESPACE}
 * @param fleetId fleet name, {@code [a-z0-9._-]}, 1..64
 * @param epoch fleet epoch, ≥ 1, increases with every published fleet
 * @param threshold shares needed
 * @param members members sorted by id
 * @param notBefore start of validity
 * @param notAfter end of validity (exclusive)
 * @param evidenceDigest SHA-256 of the deployment evidence manifest, or empty
 */
public record FleetArtifact(
    String namespace,
    String fleetId,
    long epoch,
    int threshold,
    List<FleetMember> members,
    Instant notBefore,
    Instant notAfter,
    byte[] evidenceDigest) {
  /** The fleet-keys namespace. */
  public static final String NAMESPACE = "fleetvault.fleet_keys.v1";

  /** Validates and copies. */
  public FleetArtifact {
    if (!NAMESPACE.equals(namespace)) {
      throw new FormatException("artifact namespace must be " + NAMESPACE);
    }
    if (!isValidName(fleetId) || fleetId.length() > 64) {
      throw new FormatException("fleet_id must be 1..64 chars of [a-z0-9._-]");
    }
    if (epoch < 1 || epoch > CanonicalJson.MAX_SAFE) {
      throw new FormatException("epoch must be at least 1");
    }
    members = List.copyOf(members);
    if (members.isEmpty() || members.size() > 255) {
      throw new FormatException("a fleet has 1..255 members");
    }
    for (int i = 1; i < members.size(); i++) {
      if (members.get(i - 1).id().compareTo(members.get(i).id()) >= 0) {
        throw new FormatException("members must be sorted by id with no duplicates");
      }
    }
    if (threshold < 1 || threshold > members.size()) {
      throw new FormatException("threshold must be between 1 and the number of members");
    }
    if (notBefore.getNano() != 0
        || notAfter.getNano() != 0
        || !notBefore.isBefore(notAfter)
        || notBefore.getEpochSecond() < 0
        || notAfter.getEpochSecond() > CanonicalJson.MAX_SAFE) {
      throw new FormatException(
          "validity window must be whole seconds with not_before < not_after");
    }
    if (evidenceDigest.length != 0 && evidenceDigest.length != 32) {
      throw new FormatException("evidence_digest must be empty or 32 bytes");
    }
    evidenceDigest = evidenceDigest.clone();
  }

  @Override
  public byte[] evidenceDigest() {
    return evidenceDigest.clone();
  }

  /** The canonical JSON bytes (the only encoding). */
  public byte[] toCanonicalJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("namespace", namespace);
    m.put("fleet_id", fleetId);
    m.put("epoch", epoch);
    m.put("threshold", threshold);
    List<Object> ms = new ArrayList<>();
    for (FleetMember f : members) {
      ms.add(f.toJson());
    }
    m.put("members", ms);
    m.put("not_before", notBefore.getEpochSecond());
    m.put("not_after", notAfter.getEpochSecond());
    m.put("evidence_digest", Codec.hex(evidenceDigest));
    return CanonicalJson.encode(m);
  }

  /** SHA-256 of {@link #toCanonicalJson()}. */
  public byte[] digest() {
    return Crypto.sha256(toCanonicalJson());
  }

  /** Whether {@code now} lies in {@code [notBefore, notAfter)}. */
  public boolean isValidAt(Instant now) {
    return !now.isBefore(notBefore) && now.isBefore(notAfter);
  }

  /** The member with this id, if any. */
  public java.util.Optional<FleetMember> member(String id) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  /**
   * Parses an artifact that must be byte-exactly canonical.
   *
   * @throws FormatException if malformed, not canonical, or invalid
   */
  public static FleetArtifact parse(byte[] canonicalJson) {
    JsonMap m = CanonicalJson.parseCanonicalObject(canonicalJson);
    m.requireExactly(
        "namespace",
        "fleet_id",
        "epoch",
        "threshold",
        "members",
        "not_before",
        "not_after",
        "evidence_digest");
    List<FleetMember> members = new ArrayList<>();
    for (Object o : m.list("members")) {
      members.add(FleetMember.fromJson(JsonMap.of(o, "member")));
    }
    byte[] ev = m.string("evidence_digest").isEmpty() ? new byte[0] : m.hex("evidence_digest", 32);
    return new FleetArtifact(
        m.string("namespace"),
        m.string("fleet_id"),
        m.integer("epoch", 1, CanonicalJson.MAX_SAFE),
        (int) m.integer("threshold", 1, 255),
        members,
        Instant.ofEpochSecond(m.nonNegative("not_before")),
        Instant.ofEpochSecond(m.nonNegative("not_after")),
        ev);
  }

  static boolean isValidName(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FleetArtifact a
        && java.util.Arrays.equals(a.toCanonicalJson(), toCanonicalJson());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(digest());
  }

  @Override
  public String toString() {
    return "FleetArtifact["
        + fleetId
        + " epoch="
        + epoch
        + " t="
        + threshold
        + "/"
        + members.size()
        + "]";
  }
}
