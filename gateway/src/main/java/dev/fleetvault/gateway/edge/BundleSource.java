package dev.fleetvault.gateway.edge;

import com.google.protobuf.ByteString;

/**
 * Hook for the validation bundle carried in field 15 of every answer (DESIGN.md "Over the
 * air"): given the epoch the client says it holds, returns the encoded bundle to send, or
 * empty when the client is up to date or no bundle is configured.
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
}
