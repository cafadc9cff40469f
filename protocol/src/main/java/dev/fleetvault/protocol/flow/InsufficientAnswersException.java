package dev.fleetvault.protocol.flow;

import java.util.Set;

/**
 * Client side: fewer than t members gave usable, authenticated answers in a phase, so the protocol
 * cannot decide. Nothing was learned; the SDK reports "Unavailable" and may retry.
 *
 * <h2>Guarantees</h2>
 *
 * Names the phase, how many usable answers there were and which members were flagged (bad proofs,
 * answers that did not open, disagreement) — never secret content.
 */
public final class InsufficientAnswersException extends FlowException {
  private static final long serialVersionUID = 1L;
  private final Set<Integer> flagged;

  public InsufficientAnswersException(
      String phase, int usable, int threshold, Set<Integer> flagged) {
    super(
        phase
            + ": "
            + usable
            + " usable member answers, need "
            + threshold
            + (flagged.isEmpty() ? "" : "; flagged members " + flagged));
    this.flagged = Set.copyOf(flagged);
  }

  /** Members whose answers were refused as bad. */
  public Set<Integer> flagged() {
    return flagged;
  }
}
