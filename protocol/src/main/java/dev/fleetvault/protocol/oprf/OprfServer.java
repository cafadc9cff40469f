package dev.fleetvault.protocol.oprf;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.oprf.impl.OprfHashes;
import dev.fleetvault.protocol.secret.SecretBytes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The server side of RFC 9497 OPRF and VOPRF, suite P256-SHA256: BlindEvaluate (with a batch DLEQ
 * proof in VOPRF mode) and the unblinded Evaluate.
 *
 * <h2>Guarantees</h2>
 *
 * Inputs are validated {@link GroupElement}s, so an invalid or identity blinded element can never
 * reach the key. Output exactly as RFC 9497 (vector-checked). Immutable, thread-safe. {@link
 * #toString()} never shows the key.
 */
public final class OprfServer {
  private final OprfMode mode;
  private final OprfKeyPair key;

  private OprfServer(OprfMode mode, OprfKeyPair key) {
    this.mode = mode;
    this.key = Objects.requireNonNull(key, "key");
  }

  public static OprfServer oprf(OprfKeyPair key) {
    return new OprfServer(OprfMode.OPRF, key);
  }

  public static OprfServer voprf(OprfKeyPair key) {
    return new OprfServer(OprfMode.VOPRF, key);
  }

  public OprfMode mode() {
    return mode;
  }

  public GroupElement publicKey() {
    return key.publicKey();
  }

  /**
   * BlindEvaluate without a proof: {@code skS·blinded} (base mode, or the element part of VOPRF).
   */
  public GroupElement blindEvaluate(GroupElement blinded) {
    return blinded.multiply(key.privateKey());
  }

  /** VOPRF BlindEvaluate over a batch with one proof, random proof nonce. */
  public BatchEvaluation blindEvaluateBatch(List<GroupElement> blinded, SecureRandom random) {
    return blindEvaluateBatch(blinded, Scalar.random(random));
  }

  /** VOPRF BlindEvaluate over a batch with one proof, given proof nonce r (tests and vectors). */
  public BatchEvaluation blindEvaluateBatch(List<GroupElement> blinded, Scalar r) {
    if (mode != OprfMode.VOPRF) {
      throw new IllegalStateException("batch evaluation with proof needs a VOPRF server");
    }
    List<GroupElement> evaluated = new ArrayList<>(blinded.size());
    for (GroupElement b : blinded) {
      evaluated.add(blindEvaluate(b));
    }
    DleqProof proof =
        Dleq.generate(
            mode,
            key.privateKey(),
            GroupElement.generator(),
            key.publicKey(),
            blinded,
            evaluated,
            r);
    return new BatchEvaluation(evaluated, proof);
  }

  /** RFC 9497 Evaluate(skS, input): the PRF output computed directly (no blinding). */
  public SecretBytes evaluate(byte[] input) {
    GroupElement n = OprfHashes.hashToGroup(input, mode).multiply(key.privateKey());
    try (SecretBytes in = SecretBytes.copyOf(input)) {
      return OprfClient.finalizeHash(in, n);
    }
  }

  @Override
  public String toString() {
    return "OprfServer[" + mode + ", key redacted]";
  }
}
