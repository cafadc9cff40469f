package dev.fleetvault.protocol.threshold;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.oprf.DleqProof;
import java.util.Objects;

/**
 * Member i's answer to a blinded element B: {@code Z_i = k_i·B} and a DLEQ proof that {@code log_G
 * K_i = log_B Z_i}.
 *
 * <h2>Guarantees</h2>
 *
 * {@link #decode} validates both parts (33-byte compressed non-identity point; 64-byte proof with
 * scalars below n) and throws {@link dev.fleetvault.protocol.group.InvalidEncodingException}
 * otherwise. A decoded evaluation is not yet trusted: verify it with {@link ThresholdOprfClient}.
 */
public final class MemberEvaluation {
  private final int index;
  private final GroupElement evaluated;
  private final DleqProof proof;

  public MemberEvaluation(int index, GroupElement evaluated, DleqProof proof) {
    this.index = index;
    this.evaluated = Objects.requireNonNull(evaluated, "evaluated");
    this.proof = Objects.requireNonNull(proof, "proof");
  }

  /** Decodes a member's wire answer (compressed Z_i, 64-byte proof). */
  public static MemberEvaluation decode(int index, byte[] evaluatedCompressed, byte[] proof) {
    return new MemberEvaluation(
        index, GroupElement.decodeCompressed(evaluatedCompressed), DleqProof.decode(proof));
  }

  public int index() {
    return index;
  }

  public GroupElement evaluated() {
    return evaluated;
  }

  public DleqProof proof() {
    return proof;
  }

  @Override
  public String toString() {
    return "MemberEvaluation[index=" + index + "]";
  }
}
