package dev.fleetvault.gateway.config;

/**
 * A TCP listen or connect address written {@code host:port} in configuration.
 *
 * @param host an IP literal or host name (no brackets)
 * @param port 0..65535; 0 means "any free port" and is allowed only in tests
 */
public record HostPort(String host, int port) {
  /** Validates the fields. */
  public HostPort {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** Parses {@code host:port}; throws IllegalArgumentException naming what is wrong. */
  public static HostPort parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in '" + text + "'");
    }
    return new HostPort(text.substring(0, colon), port);
  }

  /** Returns a copy with another port (used when a test binds port 0 and learns the real one). */
  public HostPort withPort(int newPort) {
    return new HostPort(host, newPort);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
