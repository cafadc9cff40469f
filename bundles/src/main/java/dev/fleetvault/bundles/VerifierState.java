package dev.fleetvault.bundles;

import dev.fleetvault.bundles.codec.Codec;
import dev.fleetvault.bundles.json.CanonicalJson;
import dev.fleetvault.bundles.json.JsonMap;
import dev.fleetvault.bundles.tlog.MerkleHash;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a client remembers between sessions so a later bundle must extend what it saw: the last
 * accepted checkpoint (tree size and root hash) and the last accepted epoch and artifact digest.
 * The SDK persists {@link #toJson()} (canonical JSON {@code
 * {"digest":hex,"epoch":n,"root_hash":b64,"tree_size":n,"version":1}}) and writes it atomically
 * after every acceptance.
 *
 * @param treeSize tree size of the last accepted checkpoint (0 initially)
 * @param rootHash its root hash (the empty-tree hash initially)
 * @param epoch last accepted epoch (0 initially)
 * @param digest artifact digest accepted for that epoch (empty initially)
 */
public record VerifierState(long treeSize, byte[] rootHash, long epoch, byte[] digest) {
  /** Validates and copies. */
  public VerifierState {
    if (treeSize < 0
        || epoch < 0
        || rootHash.length != MerkleHash.SIZE
        || (digest.length != 0 && digest.length != 32)) {
      throw new FormatException("invalid verifier state");
    }
    if ((epoch == 0) != (digest.length == 0)) {
      throw new FormatException("verifier state: epoch and digest must be both set or both empty");
    }
    rootHash = rootHash.clone();
    digest = digest.clone();
  }

  /** The state of a client that has never accepted a bundle. */
  public static VerifierState initial() {
    return new VerifierState(0, MerkleHash.empty(), 0, new byte[0]);
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  /** Canonical JSON. */
  public byte[] toJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("version", 1);
    m.put("tree_size", treeSize);
    m.put("root_hash", Codec.b64(rootHash));
    m.put("epoch", epoch);
    m.put("digest", Codec.hex(digest));
    return CanonicalJson.encode(m);
  }

  /** Parses {@link #toJson()} output. */
  public static VerifierState parse(byte[] json) {
    JsonMap m = CanonicalJson.parseObject(json);
    m.requireExactly("version", "tree_size", "root_hash", "epoch", "digest");
    if (m.integer("version", 0, 255) != 1) {
      throw new FormatException("unsupported verifier state version");
    }
    String d = m.string("digest");
    return new VerifierState(
        m.nonNegative("tree_size"),
        m.base64("root_hash", 32),
        m.nonNegative("epoch"),
        d.isEmpty() ? new byte[0] : m.hex("digest", 32));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifierState s && Arrays.equals(s.toJson(), toJson());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toJson());
  }
}
