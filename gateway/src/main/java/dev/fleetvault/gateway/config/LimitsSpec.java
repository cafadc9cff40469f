package dev.fleetvault.gateway.config;

/**
 * Request and connection limits enforced by every node's client edge.
 *
 * @param maxMessageBytes the largest gRPC message / WebSocket message accepted
 * @param perUserPerMinute requests per authenticated user per minute (token bucket)
 * @param perAddressPerMinute requests per client IP address per minute (token bucket)
 * @param requestTimeoutMs how long an edge waits for members before answering UNAVAILABLE
 * @param idleTimeoutMs a connection with no bytes in either direction for this long is closed (idle
 *     sockets and half-sent requests included)
 * @param maxConcurrentStreams HTTP/2 streams one connection may have open at once (announced in the
 *     server's SETTINGS)
 * @param maxConnectionsPerAddress connections one remote IP address may hold open at once on each
 *     listener (client edge, peer, admin); further ones are closed at once
 */
public record LimitsSpec(
    int maxMessageBytes,
    int perUserPerMinute,
    int perAddressPerMinute,
    int requestTimeoutMs,
    int idleTimeoutMs,
    int maxConcurrentStreams,
    int maxConnectionsPerAddress) {
  /** The default of {@link #maxConnectionsPerAddress()}. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;

  /** Defaults used when the {@code limits} section or one of its keys is absent. */
  public static final LimitsSpec DEFAULTS =
      new LimitsSpec(65536, 120, 6000, 15000, 30_000, 100, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);

  /** As the canonical constructor, with the default connections per address. */
  public LimitsSpec(
      int maxMessageBytes,
      int perUserPerMinute,
      int perAddressPerMinute,
      int requestTimeoutMs,
      int idleTimeoutMs,
      int maxConcurrentStreams) {
    this(
        maxMessageBytes,
        perUserPerMinute,
        perAddressPerMinute,
        requestTimeoutMs,
        idleTimeoutMs,
        maxConcurrentStreams,
        DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
  }
}
