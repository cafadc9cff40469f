package dev.fleetvault.bundles.tlog;

import dev.fleetvault.bundles.crypto.Crypto;

/**
 * RFC 9162 (§2.1.1) Merkle tree hashing with SHA-256: leaf hash {@code SHA-256(0x00 || d)},
 * interior node {@code SHA-256(0x01 || left || right)}, empty tree {@code SHA-256("")}.
 */
public final class MerkleHash {
  /** Hash length in bytes. */
  public static final int SIZE = 32;

  private static final byte[] LEAF_PREFIX = {0};
  private static final byte[] NODE_PREFIX = {1};

  private MerkleHash() {}

  /** The root of the empty tree, SHA-256 of the empty string. */
  public static byte[] empty() {
    return Crypto.sha256();
  }

  /** {@code SHA-256(0x00 || entry)}. */
  public static byte[] leaf(byte[] entry) {
    return Crypto.sha256(LEAF_PREFIX, entry);
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public static byte[] node(byte[] left, byte[] right) {
    return Crypto.sha256(NODE_PREFIX, left, right);
  }
}
