package dev.fleetvault.quorum.impl;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.P256;
import dev.fleetvault.protocol.sig.EcdsaP256;
import dev.fleetvault.quorum.QuorumMember;
import java.security.interfaces.ECPublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Verifies member command signatures (ECDSA P-256, SHA-256, strict DER) with {@link EcdsaP256}, the
 * one ECDSA verifier every module uses.
 *
 * <p>Guarantees: deterministic (same bytes and keys give the same answer on every replica, no
 * provider lookup, no randomness); keys are indexed by {@code (fleet epoch, member id)} so that a
 * later key rotation can add epochs without changing the command format. Immutable and thread-safe.
 */
public final class CommandVerifier {
  private final Map<Long, Map<Integer, GroupElement>> keysByEpoch;

  private CommandVerifier(Map<Long, Map<Integer, GroupElement>> keysByEpoch) {
    this.keysByEpoch = keysByEpoch;
  }

  /** A verifier that knows exactly one epoch's member keys. */
  public static CommandVerifier forEpoch(long epoch, List<QuorumMember> members) {
    Map<Integer, GroupElement> keys = new HashMap<>();
    for (QuorumMember m : members) keys.put(m.id(), toParams((ECPublicKey) m.commandKey()));
    return new CommandVerifier(Map.of(epoch, Map.copyOf(keys)));
  }

  /** Whether {@code epoch} is known. */
  public boolean knowsEpoch(long epoch) {
    return keysByEpoch.containsKey(epoch);
  }

  /** Whether {@code member} has a key in {@code epoch}. */
  public boolean knowsMember(long epoch, int member) {
    Map<Integer, GroupElement> m = keysByEpoch.get(epoch);
    return m != null && m.containsKey(member);
  }

  /**
   * The fleet threshold {@code t = floor(n/2) + 1} of {@code epoch}'s configured members (0 if the
   * epoch is unknown).
   */
  public int threshold(long epoch) {
    Map<Integer, GroupElement> m = keysByEpoch.get(epoch);
    return m == null ? 0 : m.size() / 2 + 1;
  }

  /**
   * Verifies {@code signature} (DER) over {@code message} under member {@code member}'s key for
   * {@code epoch}.
   */
  public boolean verify(long epoch, int member, byte[] message, byte[] signature) {
    Map<Integer, GroupElement> m = keysByEpoch.get(epoch);
    GroupElement key = m == null ? null : m.get(member);
    if (key == null) return false;
    return EcdsaP256.verify(key, message, signature);
  }

  static GroupElement toParams(ECPublicKey k) {
    ECPoint p = P256.CURVE.createPoint(k.getW().getAffineX(), k.getW().getAffineY());
    if (!p.isValid()) throw new IllegalArgumentException("member key is not a valid P-256 point");
    return GroupElement.fromPoint(p);
  }
}
