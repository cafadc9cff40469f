package dev.fleetvault.gateway.edge;

import com.google.protobuf.ByteString;

/**
 * Hook for the validation bundle carried in field 15 of every answer (PROTOCOL.md 13.9): given the
 * epoch and audit-log tree size the client says it holds, returns the encoded envelope to send,
 * consistent from that size, or empty when none can be served. The edge asks {@link
 * #bundleFor(long, long)} for every answer; a fan-out answer leaves the envelope out when {@link
 * #isCurrent} says the client already holds exactly that epoch and checkpoint.
 */
@FunctionalInterface
public interface BundleSource {
  /** No bundle configured (development fleets before the signer is set up). */
  BundleSource NONE = epoch -> ByteString.EMPTY;

  /** The bundle bytes for a client holding {@code knownEpoch} (0 = none). */
  ByteString bundleFor(long knownEpoch);

  /**
   * The bundle bytes for a client holding {@code knownEpoch} whose last accepted audit-log
   * checkpoint had {@code knownTreeSize} entries (0 = none): sources that can (the signer's
   * envelope) add a consistency proof from that size. Default: {@link #bundleFor(long)}.
   */
  default ByteString bundleFor(long knownEpoch, long knownTreeSize) {
    return bundleFor(knownEpoch);
  }

  /**
   * True when {@link #bundleFor(long, long)} may do I/O: the edge then calls it off the event loop.
   */
  default boolean mayBlock() {
    return false;
  }

  /**
   * True when {@code envelope} (from {@link #bundleFor(long, long)}) tells a client holding {@code
   * knownEpoch} at {@code knownTreeSize} nothing new: same epoch, and a checkpoint of that very
   * size. Default: never (the envelope is always sent).
   */
  default boolean isCurrent(ByteString envelope, long knownEpoch, long knownTreeSize) {
    return false;
  }
}
