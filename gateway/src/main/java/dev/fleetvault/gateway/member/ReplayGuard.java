package dev.fleetvault.gateway.member;

import dev.fleetvault.gateway.impl.BoundedMaps;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * Each client envelope may be acted on once: the HPKE encapsulated key ({@code enc}) is fresh
 * for every honest request, so a second envelope with the same {@code enc} for a phase that
 * changes state or evaluates (register2, recover1, recover2, delete) is a replay and is refused
 * before anything is committed. Bounded (least recently seen forgotten beyond {@code max}) and
 * in memory: after a restart a replayed phase-1 envelope can at most spend a guess (the ledger
 * counts it) and never yields the evaluation of a new input.
 */
final class ReplayGuard {
  private final Map<ByteBuffer, Boolean> seen;

  ReplayGuard(int max) {
    this.seen = BoundedMaps.evictingBeyond(max, true);
  }

  /** True the first time {@code enc} is seen for {@code phase}; false for a replay. */
  synchronized boolean firstUse(int phase, byte[] enc) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update((byte) phase);
      ByteBuffer key = ByteBuffer.wrap(d.digest(enc));
      return seen.put(key, Boolean.TRUE) == null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
