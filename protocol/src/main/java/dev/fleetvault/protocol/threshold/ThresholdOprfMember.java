package dev.fleetvault.protocol.threshold;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.oprf.Dleq;
import dev.fleetvault.protocol.oprf.DleqProof;
import dev.fleetvault.protocol.oprf.OprfMode;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * A member's threshold OPRF evaluation: {@code Z_i = k_i·B} with an RFC 9497 DLEQ proof (VOPRF
 * context string, A = G, B = K_i, C = [B], D = [Z_i]).
 *
 * <h2>Guarantees</h2>
 *
 * Only a validated {@link GroupElement} can be evaluated (no invalid-curve or identity input
 * reaches the share). Stateless and thread-safe; counting guesses is the caller's job and must
 * happen (committed) before calling {@link #evaluate}.
 */
public final class ThresholdOprfMember {
  private ThresholdOprfMember() {}

  /** Evaluates B under the share with a fresh random proof nonce. */
  public static MemberEvaluation evaluate(
      MemberKeyShare share, GroupElement blinded, SecureRandom random) {
    return evaluate(share, blinded, Scalar.random(random));
  }

  /** Evaluates B under the share with the given proof nonce (tests and worked examples). */
  public static MemberEvaluation evaluate(
      MemberKeyShare share, GroupElement blinded, Scalar proofNonce) {
    Objects.requireNonNull(share, "share");
    Objects.requireNonNull(blinded, "blinded");
    GroupElement z = blinded.multiply(share.share());
    DleqProof proof =
        Dleq.generate(
            OprfMode.VOPRF,
            share.share(),
            GroupElement.generator(),
            share.commitment(),
            List.of(blinded),
            List.of(z),
            proofNonce);
    return new MemberEvaluation(share.index(), z, proof);
  }
}
