package dev.fleetvault.gateway.edge;

import dev.fleetvault.protocol.wire.StatusResponse;
import io.vertx.core.Future;

/** Produces this node's view of the fleet for {@code Vault.Status} (unauthenticated). */
@FunctionalInterface
public interface StatusSource {
  /** The status; {@code knownBundleEpoch} as in the request. */
  Future<StatusResponse> status(long knownBundleEpoch);

  /** The status for a client that also states its last audit-log tree size (0 = none). */
  default Future<StatusResponse> status(long knownBundleEpoch, long knownTreeSize) {
    return status(knownBundleEpoch);
  }

  /**
   * Whether this node can serve ({@code /readyz}, gRPC {@code grpc.health.v1.Health/Check}); true
   * unless overridden.
   */
  default Future<Boolean> ready() {
    return Future.succeededFuture(true);
  }
}
