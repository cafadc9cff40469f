package dev.fleetvault.bundles.tlog;

import dev.fleetvault.bundles.FormatException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves and reads C2SP tlog-tiles contents: hash tiles cut from a {@link MerkleTree} and entry
 * bundles (big-endian uint16 length-prefixed entries).
 */
public final class Tiles {
  private Tiles() {}

  /**
   * Whether a tile can be served for a tree of {@code treeSize}: full tiles inside the tree, and
   * partial tiles of any width up to what the tree holds (the current one per level has width
   * {@code floor(s / 256^l) mod 256}; narrower ones belong to earlier checkpoints and never
   * change).
   */
  public static boolean exists(TilePath t, long treeSize) {
    int level = t.isEntries() ? 0 : t.level();
    int shift = 8 * level;
    if (shift >= 63) {
      return false;
    }
    long hashesAtLevel = treeSize >>> shift; // number of complete level-(8·level) subtrees
    if (t.index() > hashesAtLevel / TilePath.FULL_WIDTH) {
      return false; // also keeps index * 256 from overflowing
    }
    long start = t.index() * TilePath.FULL_WIDTH;
    if (t.width() == TilePath.FULL_WIDTH) {
      return start + TilePath.FULL_WIDTH <= hashesAtLevel;
    }
    return start + t.width() <= hashesAtLevel; // partial tiles of earlier checkpoints stay servable
  }

  /**
   * The bytes of a hash tile (concatenated 32-byte hashes); the tile must {@link #exists exist} in
   * the tree.
   */
  public static byte[] hashTile(MerkleTree tree, TilePath t) {
    if (t.isEntries() || !exists(t, tree.size())) {
      throw new IllegalArgumentException(
          "no such tile for tree size " + tree.size() + ": " + t.format());
    }
    ByteBuffer b = ByteBuffer.allocate(t.width() * MerkleHash.SIZE);
    for (int i = 0; i < t.width(); i++) {
      b.put(tree.subtreeHash(8 * t.level(), t.index() * TilePath.FULL_WIDTH + i));
    }
    return b.array();
  }

  /** Encodes entries as an entry bundle. */
  public static byte[] entryBundle(List<byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] e : entries) {
      if (e.length > 0xFFFF) {
        throw new IllegalArgumentException("entry longer than 65535 bytes");
      }
      out.write(e.length >>> 8);
      out.write(e.length & 0xFF);
      out.writeBytes(e);
    }
    return out.toByteArray();
  }

  /** Decodes an entry bundle. */
  public static List<byte[]> parseEntryBundle(byte[] bundle) {
    List<byte[]> out = new ArrayList<>();
    int pos = 0;
    while (pos < bundle.length) {
      if (pos + 2 > bundle.length) {
        throw new FormatException("truncated entry length");
      }
      int len = ((bundle[pos] & 0xFF) << 8) | (bundle[pos + 1] & 0xFF);
      pos += 2;
      if (pos + len > bundle.length) {
        throw new FormatException("truncated entry");
      }
      byte[] e = new byte[len];
      System.arraycopy(bundle, pos, e, 0, len);
      out.add(e);
      pos += len;
      if (out.size() > TilePath.FULL_WIDTH) {
        throw new FormatException("entry bundle holds more than 256 entries");
      }
    }
    return out;
  }
}
