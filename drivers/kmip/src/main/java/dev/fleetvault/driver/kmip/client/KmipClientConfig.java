package dev.fleetvault.driver.kmip.client;

import dev.fleetvault.driver.kmip.ttlv.TtlvLimits;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Connection settings of a {@link KmipClient}. Build with {@link #builder(String, int,
 * SSLContext)}.
 *
 * @param host server host name or address (also checked against the server certificate)
 * @param port server port (KMIP's registered port is 5696)
 * @param sslContext TLS context holding the client certificate and the trusted CA
 * @param tlsProtocols TLS protocol versions offered (default TLSv1.2 only, the KMIP profile)
 * @param verifyHostname check the server certificate's subject alternative names against {@code
 *     host}
 * @param connectTimeout TCP connect and TLS handshake bound
 * @param operationTimeout bound on waiting for one response
 * @param borrowTimeout bound on waiting for a pooled connection (then {@link
 *     KmipException.Kind#BUSY})
 * @param maxConnections pool size: most requests in flight at once
 * @param versions protocol versions the client offers in DiscoverVersions, most preferred first
 * @param limits decoder limits applied to every response
 * @param username KMIP Username and Password credential sent in every request header, or {@code
 *     null}
 * @param password its password (copied; never printed), or {@code null}
 */
public record KmipClientConfig(
    String host,
    int port,
    SSLContext sslContext,
    List<String> tlsProtocols,
    boolean verifyHostname,
    Duration connectTimeout,
    Duration operationTimeout,
    Duration borrowTimeout,
    int maxConnections,
    List<ProtocolVersion> versions,
    TtlvLimits limits,
    String username,
    char[] password) {

  /** Validates the settings. */
  public KmipClientConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(sslContext, "sslContext");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
    tlsProtocols = List.copyOf(tlsProtocols);
    versions = List.copyOf(versions);
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("at least one protocol version is needed");
    }
    for (Duration d : List.of(connectTimeout, operationTimeout, borrowTimeout)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive");
      }
    }
    Objects.requireNonNull(limits, "limits");
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException("username and password come together");
    }
    password = password == null ? null : password.clone();
  }

  /** A copy of the password, or {@code null}. */
  @Override
  public char[] password() {
    return password == null ? null : password.clone();
  }

  /** Settings without the password. */
  @Override
  public String toString() {
    return "KmipClientConfig["
        + host
        + ":"
        + port
        + ", tls="
        + tlsProtocols
        + ", maxConnections="
        + maxConnections
        + ", versions="
        + versions
        + (username == null ? "" : ", username=" + username + ", password=***")
        + "]";
  }

  /**
   * A builder with the defaults: TLSv1.2, hostname verification on, 5 s connect, 10 s operation, 2
   * s borrow, 4 connections, versions 1.4/1.3/1.2.
   */
  public static Builder builder(String host, int port, SSLContext sslContext) {
    return new Builder(host, port, sslContext);
  }

  /** Builder for {@link KmipClientConfig}. */
  public static final class Builder {
    private final String host;
    private final int port;
    private final SSLContext sslContext;
    private List<String> tlsProtocols = List.of("TLSv1.2");
    private boolean verifyHostname = true;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration operationTimeout = Duration.ofSeconds(10);
    private Duration borrowTimeout = Duration.ofSeconds(2);
    private int maxConnections = 4;
    private List<ProtocolVersion> versions =
        List.of(ProtocolVersion.V1_4, ProtocolVersion.V1_3, ProtocolVersion.V1_2);
    private TtlvLimits limits = TtlvLimits.DEFAULT;
    private String username;
    private char[] password;

    private Builder(String host, int port, SSLContext sslContext) {
      this.host = host;
      this.port = port;
      this.sslContext = sslContext;
    }

    public Builder tlsProtocols(List<String> v) {
      tlsProtocols = v;
      return this;
    }

    public Builder verifyHostname(boolean v) {
      verifyHostname = v;
      return this;
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder operationTimeout(Duration v) {
      operationTimeout = v;
      return this;
    }

    public Builder borrowTimeout(Duration v) {
      borrowTimeout = v;
      return this;
    }

    public Builder maxConnections(int v) {
      maxConnections = v;
      return this;
    }

    public Builder versions(List<ProtocolVersion> v) {
      versions = v;
      return this;
    }

    public Builder limits(TtlvLimits v) {
      limits = v;
      return this;
    }

    /** Adds a Username and Password credential to every request (the password is copied). */
    public Builder credential(String user, char[] pass) {
      username = user;
      password = pass == null ? null : pass.clone();
      return this;
    }

    public KmipClientConfig build() {
      try {
        return new KmipClientConfig(
            host,
            port,
            sslContext,
            tlsProtocols,
            verifyHostname,
            connectTimeout,
            operationTimeout,
            borrowTimeout,
            maxConnections,
            versions,
            limits,
            username,
            password);
      } finally {
        if (password != null) {
          java.util.Arrays.fill(password, '\0');
          password = null;
        }
      }
    }
  }
}
