package dev.fleetvault.gateway.impl;

import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.config.NodeSpec;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.hsm.HsmExecutor;
import dev.fleetvault.gateway.http.NodeMetrics;
import dev.fleetvault.gateway.member.MemberHandler;
import dev.fleetvault.gateway.member.MemberKeys;
import dev.fleetvault.protocol.wire.StatusResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Owns what the member role needs beyond the transports: the quorum participant (ledger
 * client and record store) and the member handler; answers status and readiness.
 */
public final class MemberRuntime {
  private final Vertx vertx;
  private final NodeConfig config;
  private final NodeSpec spec;
  private final MemberSpec member;
  private final int index;
  private final HsmExecutor hsm;
  private final MemberKeys keys;
  private final NodeMetrics metrics;

  /** Wires the parts; nothing starts until {@link #start()}. */
  public MemberRuntime(Vertx vertx, NodeConfig config, NodeSpec spec, MemberSpec member, int index,
      HsmExecutor hsm, MemberKeys keys, NodeMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.spec = spec;
    this.member = member;
    this.index = index;
    this.hsm = hsm;
    this.keys = keys;
    this.metrics = metrics;
  }

  /** Starts the quorum participant. */
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  /** Stops the quorum participant. */
  public Future<Void> stop() {
    return Future.succeededFuture();
  }

  /** The member role. */
  public MemberHandler handler() {
    return (phase, request, caller) -> Future.failedFuture(
        new FleetvaultException(ErrorCode.NOT_READY, "member role not available yet"));
  }

  /** Whether this node reaches a majority. */
  public Future<Boolean> ready() {
    return Future.succeededFuture(false);
  }

  /** This node's view of the fleet. */
  public Future<StatusResponse> status(long knownBundleEpoch) {
    return Future.succeededFuture(StatusResponse.newBuilder().setVersion(1).setSuite(1)
        .setFleetId(config.fleetId()).setMembers(config.members().size())
        .setThreshold(config.threshold()).setMajorityReachable(false).build());
  }
}
