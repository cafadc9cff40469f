package dev.fleetvault.client;

import java.util.Objects;

/**
 * The address of one fleet node's client edge (gRPC and WebSocket share the port).
 *
 * @param host host name or IP literal
 * @param port TCP port, 1..65535
 */
public record Edge(String host, int port) {
  /** Checks the fields. */
  public Edge {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("edge host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("edge port must be 1..65535, got " + port);
    }
  }

  /**
   * Parses {@code HOST:PORT} (IPv6 literals in brackets: {@code [::1]:7401}).
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public static Edge parse(String hostPort) {
    Objects.requireNonNull(hostPort, "hostPort");
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("edge must be HOST:PORT, got '" + hostPort + "'");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("edge port is not a number in '" + hostPort + "'");
    }
    return new Edge(host, port);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
