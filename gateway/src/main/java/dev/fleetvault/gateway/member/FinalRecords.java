package dev.fleetvault.gateway.member;

import dev.fleetvault.gateway.impl.BoundedMaps;
import dev.fleetvault.protocol.flow.CommitWitness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * In-memory copies of records destroyed by the attempt that used a registration's last guess at
 * this member, kept only so that phase 2 of exactly that counted attempt can still release the
 * share with the right PIN (the ledger moved the row to no-guesses and the store deleted the sealed
 * record when it counted the attempt). Keyed by (ledger key, attempt id); each entry holds the
 * ATTEMPT_GRANTED witness with {@code lastGuess()} it may be used with, and the member core accepts
 * it only for that attempt.
 *
 * <p>Guarantees: bounded (oldest forgotten beyond {@code max}), expiring after {@code ttlMs}, never
 * persisted: a restart forgets them, which only loses that one last guess. Plaintexts are wiped
 * when an entry is removed, replaced or expires (as far as the JVM allows).
 */
final class FinalRecords {
  /** One kept record: the last-guess witness and the record plaintext it was counted against. */
  record Entry(CommitWitness witness, byte[] plaintext, long expiresAt) {}

  private final long ttlMs;
  private final Map<String, Entry> byKey;

  FinalRecords(int max, long ttlMs) {
    this.ttlMs = ttlMs;
    this.byKey = BoundedMaps.evictingBeyond(max, false);
  }

  private static String key(String ledgerKey, byte[] attemptId) {
    return ledgerKey + "#" + java.util.HexFormat.of().formatHex(attemptId);
  }

  /** Keeps {@code plaintext} for phase 2 of the last-guess attempt {@code witness} names. */
  synchronized void put(String ledgerKey, CommitWitness witness, byte[] plaintext) {
    if (witness.kind() != CommitWitness.Kind.ATTEMPT_GRANTED || !witness.lastGuess()) {
      throw new IllegalArgumentException("only a last-guess grant keeps a final record");
    }
    Entry old =
        byKey.put(
            key(ledgerKey, witness.attemptId()),
            new Entry(witness, plaintext.clone(), System.currentTimeMillis() + ttlMs));
    if (old != null) {
      Arrays.fill(old.plaintext(), (byte) 0);
    }
  }

  /**
   * Copies of the unexpired entries of {@code ledgerKey} (at most one per registration at this
   * member); the caller wipes the plaintext copies.
   */
  synchronized List<Entry> forUser(String ledgerKey) {
    long now = System.currentTimeMillis();
    List<Entry> out = new ArrayList<>();
    var it = byKey.entrySet().iterator();
    String prefix = ledgerKey + "#";
    while (it.hasNext()) {
      var e = it.next();
      if (e.getValue().expiresAt() < now) {
        Arrays.fill(e.getValue().plaintext(), (byte) 0);
        it.remove();
      } else if (e.getKey().startsWith(prefix)) {
        out.add(
            new Entry(
                e.getValue().witness(),
                e.getValue().plaintext().clone(),
                e.getValue().expiresAt()));
      }
    }
    return out;
  }

  /** Forgets every entry of {@code ledgerKey} (deleted or registered again). */
  synchronized void removeUser(String ledgerKey) {
    String prefix = ledgerKey + "#";
    var it = byKey.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getKey().startsWith(prefix)) {
        Arrays.fill(e.getValue().plaintext(), (byte) 0);
        it.remove();
      }
    }
  }
}
