package dev.fleetvault.protocol.oprf;

import static dev.fleetvault.protocol.oprf.impl.OprfHashes.ascii;
import static dev.fleetvault.protocol.oprf.impl.OprfHashes.concat;
import static dev.fleetvault.protocol.oprf.impl.OprfHashes.i2osp2;
import static dev.fleetvault.protocol.oprf.impl.OprfHashes.lengthPrefixed;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.oprf.impl.OprfHashes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * RFC 9497 §2.2 discrete-log-equality proofs with batching: proves that {@code B = k·A} and {@code
 * D[i] = k·C[i]} for all i, without revealing k.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>GenerateProof, VerifyProof and ComputeComposites exactly as RFC 9497 (checked against every
 *       P256-SHA256 VOPRF vector, batch included); the challenge uses the context string of the
 *       given {@link OprfMode}.
 *   <li>{@link #verify} is total: any input that would make a step fail (an identity intermediate,
 *       mismatched list sizes, empty batch) yields {@code false}; the final comparison is
 *       constant-time.
 * </ul>
 */
public final class Dleq {
  /** Largest batch (the composite index is a 2-byte integer). */
  public static final int MAX_BATCH = 0xffff;

  private Dleq() {}

  /** GenerateProof(k, A, B, C, D) with a fresh random nonce r. */
  public static DleqProof generate(
      OprfMode mode,
      Scalar k,
      GroupElement a,
      GroupElement b,
      List<GroupElement> c,
      List<GroupElement> d,
      SecureRandom random) {
    return generate(mode, k, a, b, c, d, Scalar.random(random));
  }

  /** GenerateProof(k, A, B, C, D) with the nonce r given (deterministic; tests and vectors). */
  public static DleqProof generate(
      OprfMode mode,
      Scalar k,
      GroupElement a,
      GroupElement b,
      List<GroupElement> c,
      List<GroupElement> d,
      Scalar r) {
    Objects.requireNonNull(k, "k");
    Objects.requireNonNull(r, "r");
    checkSizes(c, d);
    GroupElement m = GroupElement.linearCombination(c, compositeScalars(mode, b, c, d));
    GroupElement z = m.multiply(k); // ComputeCompositesFast
    GroupElement t2 = a.multiply(r);
    GroupElement t3 = m.multiply(r);
    Scalar ch = challenge(mode, b, m, z, t2, t3);
    return new DleqProof(ch, r.subtract(ch.multiply(k)));
  }

  /** VerifyProof(A, B, C, D, proof): true iff the proof is valid. */
  public static boolean verify(
      OprfMode mode,
      GroupElement a,
      GroupElement b,
      List<GroupElement> c,
      List<GroupElement> d,
      DleqProof proof) {
    try {
      Objects.requireNonNull(proof, "proof");
      checkSizes(c, d);
      List<Scalar> ds = compositeScalars(mode, b, c, d);
      GroupElement m = GroupElement.linearCombination(c, ds);
      GroupElement z = GroupElement.linearCombination(d, ds);
      GroupElement t2 =
          GroupElement.linearCombination(List.of(a, b), List.of(proof.s(), proof.c()));
      GroupElement t3 =
          GroupElement.linearCombination(List.of(m, z), List.of(proof.s(), proof.c()));
      Scalar expected = challenge(mode, b, m, z, t2, t3);
      return MessageDigest.isEqual(expected.encode(), proof.c().encode());
    } catch (ArithmeticException | IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  /** The per-pair weights d_i of ComputeComposites(B, C, D): M = sum d_i·C_i, Z = sum d_i·D_i. */
  private static List<Scalar> compositeScalars(
      OprfMode mode, GroupElement b, List<GroupElement> c, List<GroupElement> d) {
    byte[] seedDst = concat(ascii("Seed-"), mode.contextString());
    byte[] seed =
        OprfHashes.hash(concat(lengthPrefixed(b.encodeCompressed()), lengthPrefixed(seedDst)));
    List<Scalar> ds = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      byte[] transcript =
          concat(
              lengthPrefixed(seed),
              i2osp2(i),
              lengthPrefixed(c.get(i).encodeCompressed()),
              lengthPrefixed(d.get(i).encodeCompressed()),
              ascii("Composite"));
      ds.add(OprfHashes.hashToScalar(transcript, mode));
    }
    return ds;
  }

  private static Scalar challenge(
      OprfMode mode,
      GroupElement b,
      GroupElement m,
      GroupElement z,
      GroupElement t2,
      GroupElement t3) {
    byte[] transcript =
        concat(
            lengthPrefixed(b.encodeCompressed()),
            lengthPrefixed(m.encodeCompressed()),
            lengthPrefixed(z.encodeCompressed()),
            lengthPrefixed(t2.encodeCompressed()),
            lengthPrefixed(t3.encodeCompressed()),
            ascii("Challenge"));
    return OprfHashes.hashToScalar(transcript, mode);
  }

  private static void checkSizes(List<GroupElement> c, List<GroupElement> d) {
    if (c.isEmpty() || c.size() != d.size() || c.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          "DLEQ needs 1.."
              + MAX_BATCH
              + " pairs with |C| = |D|, got "
              + c.size()
              + " and "
              + d.size());
    }
  }
}
