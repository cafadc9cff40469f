package dev.fleetvault.protocol.threshold;

import dev.fleetvault.protocol.group.GroupElement;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of combining member evaluations: either {@link Combined} (at least t proofs verified)
 * or {@link Insufficient}.
 *
 * <h2>Guarantees</h2>
 *
 * Every member whose evaluation was not used because it failed (bad proof, unknown or duplicate
 * index) is listed in {@code rejected}; a rejected evaluation never influences the combined
 * element. Index lists are sorted ascending.
 */
public sealed interface CombineResult permits CombineResult.Combined, CombineResult.Insufficient {

  /** Indexes of members whose evaluation failed verification. */
  List<Integer> rejected();

  /**
   * {@code t} verified evaluations were combined into {@code k·B}; {@code used} lists their
   * indexes, {@code verified} every index that verified (a superset of {@code used}).
   */
  record Combined(
      GroupElement evaluation, List<Integer> used, List<Integer> verified, List<Integer> rejected)
      implements CombineResult {
    public Combined {
      Objects.requireNonNull(evaluation, "evaluation");
      used = List.copyOf(used);
      verified = List.copyOf(verified);
      rejected = List.copyOf(rejected);
    }
  }

  /** Fewer than t evaluations verified: no output. */
  record Insufficient(int threshold, List<Integer> verified, List<Integer> rejected)
      implements CombineResult {
    public Insufficient {
      verified = List.copyOf(verified);
      rejected = List.copyOf(rejected);
    }
  }
}
