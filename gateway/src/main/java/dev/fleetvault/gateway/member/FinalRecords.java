package dev.fleetvault.gateway.member;

import dev.fleetvault.gateway.impl.BoundedMaps;
import dev.fleetvault.protocol.wire.MemberRecord;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory copies of records destroyed by the attempt that used a user's last guess, kept
 * only so that phase 2 of exactly that counted attempt can still succeed with the right PIN
 * (the ledger destroyed the row when it counted the attempt). Bounded, expiring, never
 * persisted: a restart forgets them, which only loses that one last guess.
 */
final class FinalRecords {
  /** One kept record. */
  record Entry(byte[] attemptId, long version, MemberRecord record, long expiresAt) {}

  private final long ttlMs;
  private final Map<String, Entry> byUser;

  FinalRecords(int max, long ttlMs) {
    this.ttlMs = ttlMs;
    this.byUser = BoundedMaps.evictingBeyond(max, false);
  }

  synchronized void put(String user, byte[] attemptId, long version, MemberRecord record) {
    byUser.put(user, new Entry(attemptId.clone(), version, record,
        System.currentTimeMillis() + ttlMs));
  }

  synchronized Optional<Entry> get(String user, byte[] lastAttemptId) {
    Entry e = byUser.get(user);
    if (e == null || e.expiresAt() < System.currentTimeMillis()
        || !MessageDigest.isEqual(e.attemptId(), lastAttemptId)) {
      return Optional.empty();
    }
    return Optional.of(e);
  }

  synchronized void remove(String user) {
    byUser.remove(user);
  }
}
