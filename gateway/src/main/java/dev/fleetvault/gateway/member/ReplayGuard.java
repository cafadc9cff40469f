package dev.fleetvault.gateway.member;

import dev.fleetvault.gateway.impl.BoundedMaps;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * A cache of this member's phase-1 and phase-2 answers, keyed by SHA-256 of (phase, caller's app,
 * the whole member request): a re-sent envelope (a client retry after a lost reply, the SDK's
 * phase-2 failover to another edge, or an edge replaying what it captured) gets back the very
 * answer it was given the first time, without another HSM call or ledger round. Without it a phase
 * 2 re-sent after its success had reset the counter would be refused as spent, and the client would
 * never learn the outcome of a recovery that succeeded.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>A cache only, never the defence: the guess limit is held by the ledger (a re-sent phase-1
 *       envelope carries the same attempt id, which the ledger never counts twice; a stale
 *       generation is rejected). Whether or not an entry is here, a replay gains no guess;
 *       forgetting entries (restart, eviction beyond {@code max}) changes only cost.
 *   <li>Holds only answers that were already sent once, byte for byte: it releases nothing the
 *       sender of that envelope did not already receive, and never evaluates.
 *   <li>Bounded: the least recently used entries are forgotten beyond {@code max}. In memory only;
 *       no secret in plaintext (answers are sealed to the client).
 * </ul>
 */
final class ReplayGuard {
  private final Map<ByteBuffer, MemberResponse> answers;

  ReplayGuard(int max) {
    this.answers = BoundedMaps.evictingBeyond(max, true);
  }

  /** The cache key of {@code request} for {@code phase} from app {@code appId}. */
  static ByteBuffer key(int phase, String appId, MemberRequest request) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update((byte) phase);
      byte[] app = appId.getBytes(StandardCharsets.UTF_8);
      d.update((byte) app.length);
      d.update(app);
      d.update(request.toByteArray());
      return ByteBuffer.wrap(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The answer already sent for this key, if remembered. */
  synchronized Optional<MemberResponse> answered(ByteBuffer key) {
    return Optional.ofNullable(answers.get(key));
  }

  /** Remembers the answer sent for {@code key}. */
  synchronized void remember(ByteBuffer key, MemberResponse answer) {
    answers.put(key, answer);
  }

  /** Entries held now. */
  synchronized int size() {
    return answers.size();
  }
}
