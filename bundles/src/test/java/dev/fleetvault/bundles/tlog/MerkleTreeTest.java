package dev.fleetvault.bundles.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Merkle tree against a straightforward recursive implementation of RFC 9162 §2.1 (MTH, PATH,
 * PROOF/SUBPROOF) written here from the RFC text, and against root values computed independently
 * from the definitions (the RFC 6962 reference leaves).
 */
class MerkleTreeTest {
  private static final HexFormat HEX = HexFormat.of();

  // ---- reference implementation: RFC 9162 §2.1 definitions, recursive over the leaf data ----
  static byte[] sha(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static int k(int n) { // largest power of two smaller than n
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return k;
  }

  static byte[] refMth(List<byte[]> d) {
    int n = d.size();
    if (n == 0) {
      return sha();
    }
    if (n == 1) {
      return sha(new byte[] {0}, d.get(0));
    }
    int k = k(n);
    return sha(new byte[] {1}, refMth(d.subList(0, k)), refMth(d.subList(k, n)));
  }

  static List<byte[]> refPath(int m, List<byte[]> d) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (n <= 1) {
      return out;
    }
    int k = k(n);
    if (m < k) {
      out.addAll(refPath(m, d.subList(0, k)));
      out.add(refMth(d.subList(k, n)));
    } else {
      out.addAll(refPath(m - k, d.subList(k, n)));
      out.add(refMth(d.subList(0, k)));
    }
    return out;
  }

  static List<byte[]> refSubproof(int m, List<byte[]> d, boolean b) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(refMth(d));
      }
      return out;
    }
    int k = k(n);
    if (m <= k) {
      out.addAll(refSubproof(m, d.subList(0, k), b));
      out.add(refMth(d.subList(k, n)));
    } else {
      out.addAll(refSubproof(m - k, d.subList(k, n), false));
      out.add(refMth(d.subList(0, k)));
    }
    return out;
  }

  static List<byte[]> leaves(int n) {
    List<byte[]> d = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      d.add(("leaf-" + i).getBytes(StandardCharsets.UTF_8));
    }
    return d;
  }

  static MerkleTree tree(List<byte[]> d) {
    MerkleTree t = new MerkleTree();
    for (byte[] e : d) {
      t.append(e);
    }
    return t;
  }

  static List<String> hex(List<byte[]> l) {
    return l.stream().map(HEX::formatHex).toList();
  }

  @Test
  void root_emptyTree_isSha256OfEmptyString() {
    assertThat(HEX.formatHex(new MerkleTree().root()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void root_rfc6962ReferenceLeaves_matchHandComputedValues() {
    byte[][] d = {
      HEX.parseHex(""),
      HEX.parseHex("00"),
      HEX.parseHex("10"),
      HEX.parseHex("2021"),
      HEX.parseHex("3031"),
      HEX.parseHex("40414243"),
      HEX.parseHex("5051525354555657"),
      HEX.parseHex("606162636465666768696a6b6c6d6e6f")
    };
    String[] roots = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    };
    MerkleTree t = new MerkleTree();
    for (int i = 0; i < d.length; i++) {
      t.append(d[i]);
      assertThat(HEX.formatHex(t.root())).as("size %d", i + 1).isEqualTo(roots[i]);
    }
    for (int i = 0; i < d.length; i++) {
      assertThat(HEX.formatHex(t.root(i + 1))).as("historical size %d", i + 1).isEqualTo(roots[i]);
    }
    // the size-2 root by hand: H(0x01 || H(0x00) || H(0x00 0x00))
    byte[] two = sha(new byte[] {1}, sha(new byte[] {0}), sha(new byte[] {0, 0}));
    assertThat(HEX.formatHex(two)).isEqualTo(roots[1]);
  }

  @Test
  void inclusionProof_everyIndexOfSizes1to70_matchesReferenceAndVerifies() {
    int checked = 0;
    List<byte[]> all = leaves(70);
    MerkleTree t = tree(all);
    for (int n = 1; n <= 70; n++) {
      List<byte[]> d = all.subList(0, n);
      byte[] root = refMth(d);
      assertThat(t.root(n)).as("root %d", n).isEqualTo(root);
      for (int i = 0; i < n; i++) {
        List<byte[]> proof = t.inclusionProof(i, n);
        assertThat(hex(proof)).as("path %d/%d", i, n).isEqualTo(hex(refPath(i, d)));
        byte[] leaf = MerkleHash.leaf(d.get(i));
        assertThat(MerkleProofs.verifyInclusion(i, n, leaf, proof, root))
            .as("verify %d/%d", i, n)
            .isTrue();
        // the same proof must not verify another leaf or index
        if (n > 1) {
          int j = (i + 1) % n;
          assertThat(MerkleProofs.verifyInclusion(i, n, MerkleHash.leaf(d.get(j)), proof, root))
              .isFalse();
          assertThat(MerkleProofs.verifyInclusion(j, n, leaf, proof, root)).isFalse();
        }
        if (!proof.isEmpty()) {
          assertThat(
                  MerkleProofs.verifyInclusion(
                      i, n, leaf, proof.subList(0, proof.size() - 1), root))
              .as("truncated %d/%d", i, n)
              .isFalse();
          List<byte[]> flipped = new ArrayList<>(proof);
          byte[] h = flipped.get(0).clone();
          h[0] ^= 1;
          flipped.set(0, h);
          assertThat(MerkleProofs.verifyInclusion(i, n, leaf, flipped, root)).isFalse();
        }
        List<byte[]> padded = new ArrayList<>(proof);
        padded.add(root);
        assertThat(MerkleProofs.verifyInclusion(i, n, leaf, padded, root))
            .as("padded %d/%d", i, n)
            .isFalse();
        checked++;
      }
    }
    assertThat(checked).isEqualTo(70 * 71 / 2);
  }

  @Test
  void consistencyProof_everyPairOfSizes1to70_matchesReferenceAndVerifies() {
    List<byte[]> all = leaves(70);
    MerkleTree t = tree(all);
    for (int n = 1; n <= 70; n++) {
      byte[] second = refMth(all.subList(0, n));
      for (int m = 1; m <= n; m++) {
        byte[] first = refMth(all.subList(0, m));
        List<byte[]> proof = t.consistencyProof(m, n);
        List<byte[]> ref = m == n ? List.of() : refSubproof(m, all.subList(0, n), true);
        assertThat(hex(proof)).as("proof %d->%d", m, n).isEqualTo(hex(ref));
        assertThat(MerkleProofs.verifyConsistency(m, n, first, second, proof))
            .as("verify %d->%d", m, n)
            .isTrue();
        if (m < n) {
          assertThat(MerkleProofs.verifyConsistency(m, n, second, second, proof))
              .as("wrong first root")
              .isFalse();
          assertThat(MerkleProofs.verifyConsistency(m, n, first, first, proof))
              .as("wrong second root")
              .isFalse();
          assertThat(
                  MerkleProofs.verifyConsistency(
                      m, n, first, second, proof.subList(0, proof.size() - 1)))
              .as("truncated %d->%d", m, n)
              .isFalse();
          if (m > 1 && n > m + 1) {
            assertThat(MerkleProofs.verifyConsistency(m - 1, n, first, second, proof)).isFalse();
          }
        }
      }
    }
  }

  @Test
  void removeLast_afterEveryAppend_restoresThePreviousTree() {
    List<byte[]> all = leaves(70);
    MerkleTree t = new MerkleTree();
    for (int n = 0; n < 70; n++) {
      byte[] before = t.root();
      t.append(all.get(n));
      t.append("x".getBytes(StandardCharsets.UTF_8));
      t.removeLast();
      assertThat(t.root()).as("size %d", n + 1).isEqualTo(refMth(all.subList(0, n + 1)));
      t.removeLast();
      assertThat(t.root()).isEqualTo(before);
      t.append(all.get(n));
      if (n > 0) {
        assertThat(hex(t.consistencyProof(n, n + 1)))
            .isEqualTo(hex(refSubproof(n, all.subList(0, n + 1), true)));
      }
    }
  }

  @Test
  void verifyConsistency_fromEmptyTree_needsEmptyProof() {
    MerkleTree t = tree(leaves(5));
    assertThat(MerkleProofs.verifyConsistency(0, 5, MerkleHash.empty(), t.root(), List.of()))
        .isTrue();
    assertThat(
            MerkleProofs.verifyConsistency(0, 5, MerkleHash.empty(), t.root(), List.of(t.root())))
        .isFalse();
  }

  @Test
  void verifyConsistency_sameSizeDifferentRoots_fails() {
    MerkleTree a = tree(leaves(5));
    List<byte[]> other = leaves(5);
    other.set(4, "evil".getBytes(StandardCharsets.UTF_8));
    MerkleTree b = tree(other);
    assertThat(MerkleProofs.verifyConsistency(5, 5, a.root(), b.root(), List.of())).isFalse();
    assertThat(MerkleProofs.verifyConsistency(5, 5, a.root(), a.root(), List.of())).isTrue();
  }

  @Test
  void verifyInclusion_indexOutsideTree_fails() {
    MerkleTree t = tree(leaves(4));
    assertThat(MerkleProofs.verifyInclusion(4, 4, t.leafHash(3), t.inclusionProof(3, 4), t.root()))
        .isFalse();
    assertThat(MerkleProofs.rootFromInclusionProof(-1, 4, t.leafHash(0), List.of())).isNull();
  }
}
