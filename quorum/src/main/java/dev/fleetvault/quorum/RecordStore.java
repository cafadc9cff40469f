package dev.fleetvault.quorum;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The replicated store of HSM-sealed member records, keyed by {@code (user, version, memberId)}.
 *
 * <p>Guarantees: every node holds a copy (replicated, synchronous) in a persistent file store in
 * its data directory. Without a majority of the fleet in view, reads and writes fail with {@link
 * QuorumUnavailableException} and change nothing. Values are opaque sealed blobs (at most 1 MiB);
 * they are only meaningful together with the ledger row, whose digest and state are the authority
 * (a record whose row is {@code NO_GUESSES} or {@code DELETED} must never be used). Byte arrays are
 * copied in and out.
 */
public interface RecordStore {
  /** Stores (replaces) the sealed record. */
  CompletionStage<Void> put(String user, long version, int memberId, byte[] sealedRecord);

  /**
   * Stores the sealed record only if nothing is stored at {@code (user, version, memberId)} yet
   * (atomic, cluster-wide). Returns empty if this call stored it, else the blob already there (left
   * unchanged), so a registration never overwrites a record another one put first.
   */
  CompletionStage<Optional<byte[]>> putIfAbsent(
      String user, long version, int memberId, byte[] sealedRecord);

  /** Reads the sealed record, if present. */
  CompletionStage<Optional<byte[]>> get(String user, long version, int memberId);

  /** Removes the sealed record everywhere (no error if absent). */
  CompletionStage<Void> remove(String user, long version, int memberId);

  /** Whether the store currently sees a majority (reads and writes are allowed). */
  boolean available();
}
