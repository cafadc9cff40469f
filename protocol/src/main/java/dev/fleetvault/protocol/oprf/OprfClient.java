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
 * The client side of RFC 9497 OPRF and VOPRF, suite P256-SHA256: Blind and Finalize.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Blind/Finalize are RFC 9497 §3.3.1/§3.3.2 exactly (checked against every P256-SHA256
 *       vector). The output is 32 bytes in {@link SecretBytes}.
 *   <li>A VOPRF client ({@link #voprf}) only finalizes through {@link #finalizeVerified}, which
 *       verifies the batch DLEQ proof against the pinned server key first and throws {@link
 *       ProofVerificationException} otherwise; its plain {@link #finalize} is refused.
 *   <li>Immutable and thread-safe.
 * </ul>
 */
public final class OprfClient {
  private final OprfMode mode;
  private final GroupElement serverPublicKey;

  private OprfClient(OprfMode mode, GroupElement serverPublicKey) {
    this.mode = mode;
    this.serverPublicKey = serverPublicKey;
  }

  /** A base-mode (mode 0x00) client. */
  public static OprfClient oprf() {
    return new OprfClient(OprfMode.OPRF, null);
  }

  /** A verifiable-mode (mode 0x01) client pinned to the server's public key pkS. */
  public static OprfClient voprf(GroupElement serverPublicKey) {
    return new OprfClient(
        OprfMode.VOPRF, Objects.requireNonNull(serverPublicKey, "serverPublicKey"));
  }

  public OprfMode mode() {
    return mode;
  }

  /** Blind(input) with a fresh random blind. The input is copied into the result. */
  public BlindedInput blind(byte[] input, SecureRandom random) {
    return blind(input, Scalar.random(random));
  }

  /** Blind(input) with a given non-zero blind (deterministic; tests and vectors). */
  public BlindedInput blind(byte[] input, Scalar blind) {
    Objects.requireNonNull(input, "input");
    if (blind.isZero()) {
      throw new IllegalArgumentException("blind must not be zero");
    }
    GroupElement inputElement = OprfHashes.hashToGroup(input, mode);
    return new BlindedInput(SecretBytes.copyOf(input), blind, inputElement.multiply(blind));
  }

  /** Finalize for base mode: unblind {@code evaluated} and hash. */
  public SecretBytes finalize(BlindedInput blinded, GroupElement evaluated) {
    if (mode != OprfMode.OPRF) {
      throw new IllegalStateException("a VOPRF client must use finalizeVerified");
    }
    return finalizeUnchecked(blinded, evaluated);
  }

  /**
   * VOPRF Finalize for a batch: verifies {@code proof} over all pairs against pkS, then returns one
   * output per input, in order.
   */
  public List<SecretBytes> finalizeVerified(
      List<BlindedInput> blinded, List<GroupElement> evaluated, DleqProof proof)
      throws ProofVerificationException {
    if (mode != OprfMode.VOPRF) {
      throw new IllegalStateException("finalizeVerified needs a VOPRF client");
    }
    if (blinded.size() != evaluated.size()) {
      throw new IllegalArgumentException(
          "got " + evaluated.size() + " evaluations for " + blinded.size() + " inputs");
    }
    List<GroupElement> c = new ArrayList<>(blinded.size());
    for (BlindedInput b : blinded) {
      c.add(b.blindedElement());
    }
    if (!Dleq.verify(mode, GroupElement.generator(), serverPublicKey, c, evaluated, proof)) {
      throw new ProofVerificationException(
          "VOPRF proof does not verify against the server public key");
    }
    List<SecretBytes> out = new ArrayList<>(blinded.size());
    for (int i = 0; i < blinded.size(); i++) {
      out.add(finalizeUnchecked(blinded.get(i), evaluated.get(i)));
    }
    return out;
  }

  /**
   * Finalize hash: SHA-256(len(input) || input || len(N) || N || "Finalize") for N =
   * r^-1·evaluated.
   */
  static SecretBytes finalizeUnchecked(BlindedInput blinded, GroupElement evaluated) {
    GroupElement n = evaluated.multiply(blinded.blind().invert());
    return finalizeHash(blinded.input(), n);
  }

  /** The RFC 9497 Finalize/Evaluate hash of an input and an unblinded element. */
  static SecretBytes finalizeHash(SecretBytes input, GroupElement unblinded) {
    byte[] in = input.copy();
    try {
      return SecretBytes.wrap(
          OprfHashes.hash(
              OprfHashes.concat(
                  OprfHashes.lengthPrefixed(in),
                  OprfHashes.lengthPrefixed(unblinded.encodeCompressed()),
                  OprfHashes.ascii("Finalize"))));
    } finally {
      java.util.Arrays.fill(in, (byte) 0);
    }
  }
}
