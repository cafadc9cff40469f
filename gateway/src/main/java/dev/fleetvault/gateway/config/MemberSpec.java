package dev.fleetvault.gateway.config;

/**
 * One fleet member (one data center) as every node sees it: where its client edge, its internal
 * peer service and its quorum endpoints listen.
 *
 * @param id the member id, e.g. {@code dc1}; also its index order in the fleet
 * @param dataCenter a human label for status pages
 * @param client the client edge: gRPC, WebSocket {@code /v1/ws}, {@code /healthz /readyz}
 * @param peer the internal {@code Member} gRPC service (mutual TLS)
 * @param raft the quorum ledger's endpoint (jgroups-raft)
 * @param cluster the record store's endpoint (Infinispan over JGroups)
 * @param admin the admin listener ({@code /metrics /healthz /readyz}), or null when not configured
 */
public record MemberSpec(
    String id,
    String dataCenter,
    HostPort client,
    HostPort peer,
    HostPort raft,
    HostPort cluster,
    HostPort admin) {

  /** A member without an admin listener. */
  public MemberSpec(
      String id,
      String dataCenter,
      HostPort client,
      HostPort peer,
      HostPort raft,
      HostPort cluster) {
    this(id, dataCenter, client, peer, raft, cluster, null);
  }

  /** The admin listener, if configured. */
  public java.util.Optional<HostPort> adminAddress() {
    return java.util.Optional.ofNullable(admin);
  }
}
