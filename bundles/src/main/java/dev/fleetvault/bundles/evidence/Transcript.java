package dev.fleetvault.bundles.evidence;

import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ceremony transcript that witnesses sign: which member statements (by path and SHA-256) make
 * up the fleet, its id, epoch and threshold. Canonical JSON; witnesses sign {@code
 * "fleetvault.ceremony_witness.v1\n" || canonical(transcript)} with Ed25519.
 *
 * @param fleetId fleet id
 * @param epoch epoch
 * @param threshold shares needed (the fleet artifact's threshold)
 * @param combinedAt Unix seconds
 * @param members one entry per member, sorted by member id
 */
public record Transcript(
    String fleetId, long epoch, int threshold, long combinedAt, List<Entry> members) {
  /** Format name. */
  public static final String FORMAT = "fleetvault.ceremony_transcript.v1";

  /** Witness signature domain. */
  public static final String WITNESS_DOMAIN = "fleetvault.ceremony_witness.v1";

  /**
   * One member's statement in the transcript.
   *
   * @param memberId member id
   * @param statementPath the statement's path in the evidence package
   * @param statementSha256 SHA-256 of the statement file
   */
  public record Entry(String memberId, String statementPath, byte[] statementSha256) {
    /** Copies. */
    public Entry {
      if (statementSha256.length != 32) {
        throw new FormatException("transcript: statement_sha256 must be 32 bytes");
      }
      statementSha256 = statementSha256.clone();
    }

    @Override
    public byte[] statementSha256() {
      return statementSha256.clone();
    }
  }

  /** Validates order and copies. */
  public Transcript {
    members = List.copyOf(members);
    for (int i = 1; i < members.size(); i++) {
      if (members.get(i - 1).memberId().compareTo(members.get(i).memberId()) >= 0) {
        throw new FormatException("transcript: members must be sorted by id with no duplicates");
      }
    }
  }

  /** Canonical JSON. */
  public byte[] toCanonicalJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("format", FORMAT);
    m.put("fleet_id", fleetId);
    m.put("epoch", epoch);
    m.put("threshold", threshold);
    m.put("combined_at", combinedAt);
    List<Object> l = new ArrayList<>();
    for (Entry e : members) {
      Map<String, Object> em = new TreeMap<>();
      em.put("member_id", e.memberId());
      em.put("statement", e.statementPath());
      em.put("statement_sha256", Codec.hex(e.statementSha256()));
      l.add(em);
    }
    m.put("members", l);
    return CanonicalJson.encode(m);
  }

  /** What each witness signs. */
  public byte[] witnessInput() {
    byte[] p = (WITNESS_DOMAIN + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] b = toCanonicalJson();
    byte[] out = java.util.Arrays.copyOf(p, p.length + b.length);
    System.arraycopy(b, 0, out, p.length, b.length);
    return out;
  }

  /** Parses canonical transcript JSON. */
  public static Transcript parse(byte[] json) {
    JsonMap m = CanonicalJson.parseCanonicalObject(json);
    m.requireExactly("format", "fleet_id", "epoch", "threshold", "combined_at", "members");
    if (!FORMAT.equals(m.string("format"))) {
      throw new FormatException("transcript: format must be " + FORMAT);
    }
    List<Entry> es = new ArrayList<>();
    for (Object o : m.list("members")) {
      JsonMap e = JsonMap.of(o, "transcript member");
      e.requireExactly("member_id", "statement", "statement_sha256");
      es.add(
          new Entry(e.string("member_id"), e.string("statement"), e.hex("statement_sha256", 32)));
    }
    return new Transcript(
        m.string("fleet_id"),
        m.integer("epoch", 1, CanonicalJson.MAX_SAFE),
        (int) m.integer("threshold", 1, 255),
        m.nonNegative("combined_at"),
        es);
  }
}
