package dev.fleetvault.gateway.config;

/**
 * Request limits enforced by every node.
 *
 * @param maxMessageBytes the largest gRPC message / WebSocket message accepted
 * @param perUserPerMinute requests per authenticated user per minute (token bucket)
 * @param perAddressPerMinute requests per client IP address per minute (token bucket)
 * @param requestTimeoutMs how long an edge waits for members before answering UNAVAILABLE
 */
public record LimitsSpec(int maxMessageBytes, int perUserPerMinute, int perAddressPerMinute,
    int requestTimeoutMs) {
  /** Defaults used when the {@code limits} section is absent. */
  public static final LimitsSpec DEFAULTS = new LimitsSpec(65536, 120, 6000, 15000);
}
