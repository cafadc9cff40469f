package dev.fleetvault.bundles.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target: RFC 9162 proof verification ({@link MerkleProofs}) on proofs, sizes and roots an
 * attacker chooses, checked against a real tree.
 *
 * <p>Property: verification never throws and never loops (proofs are bounded by {@link
 * MerkleProofs#MAX_PROOF_HASHES}); a proof the real tree produced verifies; a fuzzed proof verifies
 * only if it implies the real root (for inclusion: {@code rootFromInclusionProof} equals the tree's
 * root), so no forged proof is accepted for another root.
 */
class MerkleProofsFuzzTest {
  @FuzzTest
  void verify_fuzzedProofs(FuzzedDataProvider in) {
    int leaves = in.consumeInt(1, 40);
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < leaves; i++) {
      tree.append(new byte[] {(byte) i, (byte) (i >> 8)});
    }
    long size = tree.size();
    long index = in.consumeLong(-2, size + 2);
    long first = in.consumeLong(-2, size + 2);
    int n = in.consumeInt(0, MerkleProofs.MAX_PROOF_HASHES + 2);
    List<byte[]> proof = new ArrayList<>();
    for (int i = 0; i < n && in.remainingBytes() > 0; i++) {
      proof.add(in.consumeBytes(in.consumeBoolean() ? 32 : in.consumeInt(0, 40)));
    }
    byte[] root = tree.root();
    byte[] leaf = index >= 0 && index < size ? tree.leafHash(index) : in.consumeBytes(32);

    byte[] implied = MerkleProofs.rootFromInclusionProof(index, size, leaf, proof);
    boolean ok = MerkleProofs.verifyInclusion(index, size, leaf, proof, root);
    assertThat(ok).isEqualTo(implied != null && java.util.Arrays.equals(implied, root));
    if (index >= 0 && index < size) {
      assertThat(
              MerkleProofs.verifyInclusion(
                  index, size, leaf, tree.inclusionProof(index, size), root))
          .as("honest inclusion proof for %d of %d", index, size)
          .isTrue();
    }

    byte[] firstRoot = first >= 1 && first <= size ? tree.root(first) : in.consumeBytes(32);
    boolean consistent = MerkleProofs.verifyConsistency(first, size, firstRoot, root, proof);
    if (first >= 1 && first <= size) {
      assertThat(
              MerkleProofs.verifyConsistency(
                  first, size, firstRoot, root, tree.consistencyProof(first, size)))
          .as("honest consistency proof %d -> %d", first, size)
          .isTrue();
      if (consistent && first < size) {
        // a fuzzed proof may only be accepted if it is the one real proof (RFC 9162 proofs are
        // unique)
        List<byte[]> honest = tree.consistencyProof(first, size);
        assertThat(proof).hasSameSizeAs(honest);
      }
    }
  }
}
