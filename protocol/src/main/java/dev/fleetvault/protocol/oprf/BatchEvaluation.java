package dev.fleetvault.protocol.oprf;

import dev.fleetvault.protocol.group.GroupElement;
import java.util.List;
import java.util.Objects;

/**
 * A VOPRF server's answer to a batch: evaluated elements in input order and one DLEQ proof.
 *
 * <h2>Guarantees</h2>
 *
 * Immutable; public data.
 */
public final class BatchEvaluation {
  private final List<GroupElement> evaluated;
  private final DleqProof proof;

  public BatchEvaluation(List<GroupElement> evaluated, DleqProof proof) {
    this.evaluated = List.copyOf(evaluated);
    this.proof = Objects.requireNonNull(proof, "proof");
  }

  public List<GroupElement> evaluated() {
    return evaluated;
  }

  public DleqProof proof() {
    return proof;
  }
}
