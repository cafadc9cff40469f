package dev.fleetvault.bundles.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 9162 Merkle tree over leaf hashes, kept in memory as the hashes of every
 * complete, aligned subtree (level {@code l} holds the hashes of leaves {@code [i·2^l,
 * (i+1)·2^l)}), which is also exactly what C2SP tlog-tiles serve.
 *
 * <p>Computes the root of any earlier size, inclusion proofs (RFC 9162 §2.1.3.1 PATH) and
 * consistency proofs (§2.1.4.1 PROOF) between any two sizes in O(log n) hashes each. Not
 * thread-safe: callers serialise access.
 */
public final class MerkleTree {
  private final List<List<byte[]>> levels = new ArrayList<>();

  /** An empty tree. */
  public MerkleTree() {
    levels.add(new ArrayList<>());
  }

  /** A tree over the given leaf hashes. */
  public static MerkleTree ofLeafHashes(List<byte[]> leafHashes) {
    MerkleTree t = new MerkleTree();
    for (byte[] h : leafHashes) {
      t.appendLeafHash(h);
    }
    return t;
  }

  /** Appends an entry (hashed as a leaf) and returns its index. */
  public long append(byte[] entry) {
    return appendLeafHash(MerkleHash.leaf(entry));
  }

  /** Appends a leaf hash and returns its index. */
  public long appendLeafHash(byte[] leafHash) {
    if (leafHash.length != MerkleHash.SIZE) {
      throw new IllegalArgumentException("leaf hash must be 32 bytes");
    }
    long index = size();
    levels.get(0).add(leafHash.clone());
    int l = 0;
    while (levels.get(l).size() % 2 == 0) {
      List<byte[]> cur = levels.get(l);
      byte[] h = MerkleHash.node(cur.get(cur.size() - 2), cur.get(cur.size() - 1));
      if (levels.size() == l + 1) {
        levels.add(new ArrayList<>());
      }
      levels.get(l + 1).add(h);
      l++;
    }
    return index;
  }

  /**
   * Removes the most recently appended leaf (and the subtree hashes it completed), undoing the last
   * {@link #appendLeafHash}. For writers that must roll back an append they could not make durable.
   */
  public void removeLast() {
    if (size() == 0) {
      throw new IllegalStateException("empty tree");
    }
    int l = 0;
    while (true) {
      List<byte[]> lv = levels.get(l);
      boolean cascaded = lv.size() % 2 == 0;
      lv.remove(lv.size() - 1);
      if (!cascaded) {
        break;
      }
      l++;
    }
  }

  /** Number of leaves. */
  public long size() {
    return levels.get(0).size();
  }

  /** The leaf hash at {@code index}. */
  public byte[] leafHash(long index) {
    checkRange(index, 0, size() - 1);
    return levels.get(0).get((int) index).clone();
  }

  /**
   * The hash of the complete subtree at {@code level} and position {@code index}, i.e. of leaves
   * {@code [index·2^level, (index+1)·2^level)}; it must lie within the current tree.
   */
  public byte[] subtreeHash(int level, long index) {
    if (level < 0 || level >= levels.size() || index < 0 || index >= levels.get(level).size()) {
      throw new IllegalArgumentException(
          "no complete subtree at level " + level + " index " + index);
    }
    return levels.get(level).get((int) index).clone();
  }

  /** The current root hash. */
  public byte[] root() {
    return root(size());
  }

  /** The root hash of the tree's first {@code treeSize} leaves. */
  public byte[] root(long treeSize) {
    checkRange(treeSize, 0, size());
    if (treeSize == 0) {
      return MerkleHash.empty();
    }
    return mth(0, treeSize);
  }

  /** RFC 9162 inclusion proof of leaf {@code index} in the tree of size {@code treeSize}. */
  public List<byte[]> inclusionProof(long index, long treeSize) {
    checkRange(treeSize, 1, size());
    checkRange(index, 0, treeSize - 1);
    List<byte[]> out = new ArrayList<>();
    path(index, 0, treeSize, out);
    return out;
  }

  /**
   * RFC 9162 consistency proof from size {@code first} to size {@code second} (empty if equal or
   * first is 0).
   */
  public List<byte[]> consistencyProof(long first, long second) {
    checkRange(second, 0, size());
    checkRange(first, 0, second);
    List<byte[]> out = new ArrayList<>();
    if (first == 0 || first == second) {
      return out;
    }
    subproof(first, 0, second, true, out);
    return out;
  }

  private void path(long m, long lo, long hi, List<byte[]> out) {
    long n = hi - lo;
    if (n == 1) {
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(m, lo, lo + k, out);
      out.add(mth(lo + k, hi));
    } else {
      path(m - k, lo + k, hi, out);
      out.add(mth(lo, lo + k));
    }
  }

  private void subproof(long m, long lo, long hi, boolean b, List<byte[]> out) {
    long n = hi - lo;
    if (m == n) {
      if (!b) {
        out.add(mth(lo, hi));
      }
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, lo, lo + k, b, out);
      out.add(mth(lo + k, hi));
    } else {
      subproof(m - k, lo + k, hi, false, out);
      out.add(mth(lo, lo + k));
    }
  }

  /**
   * MTH of leaves [lo, hi); every range reached from the recursions is aligned to its power-of-two
   * size.
   */
  private byte[] mth(long lo, long hi) {
    long n = hi - lo;
    if (Long.bitCount(n) == 1 && lo % n == 0) {
      int level = Long.numberOfTrailingZeros(n);
      return levels.get(level).get((int) (lo >>> level));
    }
    long k = largestPowerOfTwoBelow(n);
    return MerkleHash.node(mth(lo, lo + k), mth(lo + k, hi));
  }

  /** The largest power of two strictly smaller than {@code n} (n ≥ 2). */
  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }

  private static void checkRange(long v, long min, long max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException("value " + v + " outside [" + min + ", " + max + "]");
    }
  }
}
