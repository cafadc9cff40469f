package dev.fleetvault.bundles;

import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import dev.fleetvault.bundles.tlog.MerkleProofs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What travels over the air on a client session's first answer: the current {@link Bundle} and a
 * consistency proof from the tree size the client said it last saw ({@code consistency_from}) to
 * the bundle's checkpoint. Canonical JSON: {@code
 * {"bundle":{…},"consistency_from":m,"consistency_proof":[b64…]}}.
 *
 * @param bundle the current bundle
 * @param consistencyFrom the client's last stored tree size (0 for a fresh client)
 * @param consistencyProof RFC 9162 consistency proof from {@code consistencyFrom} to the checkpoint
 *     size
 */
public record BundleEnvelope(Bundle bundle, long consistencyFrom, List<byte[]> consistencyProof) {
  /** Copies. */
  public BundleEnvelope {
    if (consistencyFrom < 0) {
      throw new FormatException("consistency_from is negative");
    }
    List<byte[]> p = new ArrayList<>();
    for (byte[] h : consistencyProof) {
      p.add(h.clone());
    }
    consistencyProof = List.copyOf(p);
  }

  /** Canonical JSON bytes. */
  public byte[] toJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("bundle", bundle.toJsonMap());
    m.put("consistency_from", consistencyFrom);
    m.put("consistency_proof", Bundle.b64List(consistencyProof));
    return CanonicalJson.encode(m);
  }

  /** Parses strictly. */
  public static BundleEnvelope parse(byte[] json) {
    JsonMap m = CanonicalJson.parseObject(json);
    m.requireExactly("bundle", "consistency_from", "consistency_proof");
    return new BundleEnvelope(
        Bundle.fromJson(m.object("bundle")),
        m.nonNegative("consistency_from"),
        m.base64List("consistency_proof", 32, MerkleProofs.MAX_PROOF_HASHES));
  }
}
