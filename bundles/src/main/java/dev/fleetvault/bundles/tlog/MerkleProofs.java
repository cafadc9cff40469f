package dev.fleetvault.bundles.tlog;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Verification of RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs.
 *
 * <p>Guarantees: a proof verifies only if it has exactly the length the algorithm consumes for the
 * given index/sizes (a truncated or padded proof fails), and hashes are compared in constant time.
 */
public final class MerkleProofs {
  /** Longest proof accepted (a tree of up to 2^63 leaves needs at most 63 hashes, plus one). */
  public static final int MAX_PROOF_HASHES = 64;

  private MerkleProofs() {}

  /**
   * Computes the root implied by an inclusion proof, or {@code null} if the proof is malformed for
   * this index and size (wrong length, index out of range).
   */
  public static byte[] rootFromInclusionProof(
      long index, long treeSize, byte[] leafHash, List<byte[]> proof) {
    if (index < 0
        || treeSize <= 0
        || index >= treeSize
        || proof.size() > MAX_PROOF_HASHES
        || leafHash.length != MerkleHash.SIZE) {
      return null;
    }
    long fn = index;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (p == null || p.length != MerkleHash.SIZE || sn == 0) {
        return null;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHash.node(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        r = MerkleHash.node(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 ? r : null;
  }

  /**
   * Whether {@code proof} proves leaf {@code leafHash} at {@code index} in the tree ({@code
   * treeSize}, {@code root}).
   */
  public static boolean verifyInclusion(
      long index, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root) {
    byte[] r = rootFromInclusionProof(index, treeSize, leafHash, proof);
    return r != null && root != null && MessageDigest.isEqual(r, root);
  }

  /**
   * Whether {@code proof} proves the tree ({@code second}, {@code secondRoot}) extends the tree
   * ({@code first}, {@code firstRoot}). Equal sizes need an empty proof and equal roots; a first
   * size of 0 needs an empty proof.
   */
  public static boolean verifyConsistency(
      long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
    if (first < 0
        || second < first
        || proof.size() > MAX_PROOF_HASHES
        || firstRoot == null
        || secondRoot == null) {
      return false;
    }
    if (first == second) {
      return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
    }
    if (first == 0) {
      return proof.isEmpty();
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(first) == 1) {
      path.add(firstRoot);
    }
    path.addAll(proof);
    for (byte[] p : path) {
      if (p == null || p.length != MerkleHash.SIZE) {
        return false;
      }
    }
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (int i = 1; i < path.size(); i++) {
      byte[] c = path.get(i);
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHash.node(c, fr);
        sr = MerkleHash.node(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        sr = MerkleHash.node(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
  }
}
