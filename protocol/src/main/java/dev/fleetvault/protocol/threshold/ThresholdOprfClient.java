package dev.fleetvault.protocol.threshold;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.oprf.BlindedInput;
import dev.fleetvault.protocol.oprf.Dleq;
import dev.fleetvault.protocol.oprf.OprfClient;
import dev.fleetvault.protocol.oprf.OprfMode;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.shamir.Shamir;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The client side of the threshold OPRF: blind like RFC 9497 base mode, verify each member's DLEQ
 * proof against its commitment K_i, combine t verified evaluations by Lagrange interpolation in the
 * exponent, and finalize exactly like RFC 9497 OPRF with the root key k.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>The output equals {@code OprfServer.oprf(k).evaluate(input)} for every choice of t honest
 *       members (property-tested).
 *   <li>An evaluation is used only if its proof verifies against the pinned commitment of its own
 *       index; bad, unknown-index and duplicate answers are reported in {@link
 *       CombineResult#rejected()} and ignored.
 *   <li>Immutable and thread-safe.
 * </ul>
 */
public final class ThresholdOprfClient {
  private final int threshold;
  private final List<GroupElement> commitments;
  private final OprfClient oprf = OprfClient.oprf();

  /** {@code commitments.get(i-1)} is K_i; 1 &le; threshold &le; commitments.size(). */
  public ThresholdOprfClient(int threshold, List<GroupElement> commitments) {
    this.commitments = List.copyOf(commitments);
    if (threshold < 1
        || threshold > this.commitments.size()
        || this.commitments.size() > Shamir.MAX_SHARES) {
      throw new IllegalArgumentException(
          "need 1 <= t <= n <= "
              + Shamir.MAX_SHARES
              + ", got t="
              + threshold
              + ", n="
              + this.commitments.size());
    }
    this.threshold = threshold;
  }

  public int threshold() {
    return threshold;
  }

  /**
   * True iff the commitments lie on one polynomial of degree &lt; t in the exponent (Feldman-style
   * check): every K_j for j &gt; t equals {@code sum_{i<=t} L_i(j)·K_i}. If so, every t-subset of
   * verified evaluations combines to the same {@code k·B}. Check a commitment vector received from
   * members before relying on it.
   */
  public boolean commitmentsConsistent() {
    List<Integer> base = new ArrayList<>();
    List<GroupElement> baseKs = new ArrayList<>();
    for (int i = 1; i <= threshold; i++) {
      base.add(i);
      baseKs.add(commitments.get(i - 1));
    }
    for (int j = threshold + 1; j <= commitments.size(); j++) {
      List<dev.fleetvault.protocol.group.Scalar> ls = new ArrayList<>();
      for (int i : base) {
        ls.add(Shamir.lagrangeAt(j, i, base));
      }
      try {
        if (!GroupElement.linearCombination(baseKs, ls).equals(commitments.get(j - 1))) {
          return false;
        }
      } catch (ArithmeticException identity) {
        return false;
      }
    }
    return true;
  }

  /** Blind(input) in base mode with a random blind. */
  public BlindedInput blind(byte[] input, SecureRandom random) {
    return oprf.blind(input, random);
  }

  /** True iff {@code e}'s index is a known member and its proof verifies against K_index. */
  public boolean verify(GroupElement blinded, MemberEvaluation e) {
    Objects.requireNonNull(blinded, "blinded");
    if (e == null || e.index() < 1 || e.index() > commitments.size()) {
      return false;
    }
    return Dleq.verify(
        OprfMode.VOPRF,
        GroupElement.generator(),
        commitments.get(e.index() - 1),
        List.of(blinded),
        List.of(e.evaluated()),
        e.proof());
  }

  /** Verifies every evaluation and combines the t lowest-indexed verified ones into k·B. */
  public CombineResult combine(GroupElement blinded, Collection<MemberEvaluation> evaluations) {
    TreeMap<Integer, GroupElement> verified = new TreeMap<>();
    List<Integer> rejected = new ArrayList<>();
    List<MemberEvaluation> sorted = new ArrayList<>();
    for (MemberEvaluation e : evaluations) {
      if (e != null) { // a missing answer is simply absent
        sorted.add(e);
      }
    }
    sorted.sort(Comparator.comparingInt(MemberEvaluation::index));
    for (MemberEvaluation e : sorted) {
      if (!verified.containsKey(e.index()) && verify(blinded, e)) {
        verified.put(e.index(), e.evaluated());
      } else if (!rejected.contains(e.index())) {
        rejected.add(e.index());
      }
    }
    rejected.removeIf(verified::containsKey); // a duplicate of a verified index only counts once
    List<Integer> verifiedIdx = new ArrayList<>(verified.keySet());
    if (verified.size() < threshold) {
      return new CombineResult.Insufficient(threshold, verifiedIdx, rejected);
    }
    TreeMap<Integer, GroupElement> use = new TreeMap<>();
    for (int i : verified.keySet()) {
      if (use.size() == threshold) {
        break;
      }
      use.put(i, verified.get(i));
    }
    return new CombineResult.Combined(
        Shamir.combineInExponent(use), new ArrayList<>(use.keySet()), verifiedIdx, rejected);
  }

  /** Finalize: unblind the combined element and hash, as RFC 9497 OPRF Finalize. */
  public SecretBytes finalize(BlindedInput blinded, GroupElement combined) {
    return oprf.finalize(blinded, combined);
  }
}
