package dev.fleetvault.bundles.tlog;

import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.codec.Codec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP tlog-checkpoint body (c2sp.org/tlog-checkpoint): origin line, decimal tree size with no
 * leading zeroes, base64 RFC 6962/9162 root hash, then optional non-empty extension lines.
 * Fleetvault's signer writes no extension lines.
 *
 * @param origin the log's origin (also the signer's note key name)
 * @param treeSize number of leaves
 * @param rootHash 32-byte root hash
 * @param extensions extension lines (without newlines)
 */
public record Checkpoint(String origin, long treeSize, byte[] rootHash, List<String> extensions) {
  /** Validates and copies. */
  public Checkpoint {
    if (origin == null || origin.isEmpty() || origin.contains("\n")) {
      throw new FormatException("checkpoint origin must be one non-empty line");
    }
    if (treeSize < 0) {
      throw new FormatException("checkpoint tree size is negative");
    }
    if (rootHash.length != MerkleHash.SIZE) {
      throw new FormatException("checkpoint root hash must be 32 bytes");
    }
    rootHash = rootHash.clone();
    extensions = List.copyOf(extensions);
    for (String e : extensions) {
      if (e.isEmpty() || e.contains("\n")) {
        throw new FormatException("checkpoint extension lines must be non-empty single lines");
      }
    }
  }

  /** A checkpoint with no extension lines. */
  public Checkpoint(String origin, long treeSize, byte[] rootHash) {
    this(origin, treeSize, rootHash, List.of());
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The note text (each line newline-terminated). */
  public String toNoteText() {
    StringBuilder sb = new StringBuilder();
    sb.append(origin)
        .append('\n')
        .append(treeSize)
        .append('\n')
        .append(Base64.getEncoder().encodeToString(rootHash))
        .append('\n');
    for (String e : extensions) {
      sb.append(e).append('\n');
    }
    return sb.toString();
  }

  /** Parses a checkpoint note text. */
  public static Checkpoint fromNoteText(String text) {
    if (!text.endsWith("\n")) {
      throw new FormatException("checkpoint text must end in a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw new FormatException("checkpoint needs origin, size and root hash lines");
    }
    String size = lines[1];
    if (size.isEmpty()
        || size.length() > 19
        || !size.chars().allMatch(c -> c >= '0' && c <= '9')
        || (size.length() > 1 && size.charAt(0) == '0')) {
      throw new FormatException("checkpoint tree size is not a canonical decimal");
    }
    long n;
    try {
      n = Long.parseLong(size);
    } catch (NumberFormatException e) {
      throw new FormatException("checkpoint tree size out of range");
    }
    byte[] root;
    try {
      root = Codec.b64Decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new FormatException("checkpoint root hash is not canonical base64");
    }
    return new Checkpoint(lines[0], n, root, Arrays.asList(lines).subList(3, lines.length));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c
        && c.origin.equals(origin)
        && c.treeSize == treeSize
        && Arrays.equals(c.rootHash, rootHash)
        && c.extensions.equals(extensions);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(treeSize) * 31 + Arrays.hashCode(rootHash);
  }

  @Override
  public String toString() {
    return origin + " size=" + treeSize + " root=" + Codec.hex(rootHash);
  }
}
