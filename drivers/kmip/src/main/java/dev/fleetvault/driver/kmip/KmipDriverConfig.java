package dev.fleetvault.driver.kmip;

import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.SecretChars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code kmip} driver's settings, parsed strictly from {@link DriverSettings}.
 *
 * @param host KMIP server host (checked against its certificate)
 * @param port KMIP server port (default 5696)
 * @param clientCertificate PEM client certificate chain (needs the clientAuth extended key usage)
 * @param caCertificate PEM CA certificate(s) that sign the server certificate; only these are
 *     trusted
 * @param verifyHostname check the server certificate's names against {@code host} (default true)
 * @param connectTimeout TCP connect + TLS handshake bound (default 5s)
 * @param operationTimeout bound on one response (default 10s)
 * @param borrowTimeout bound on waiting for a free connection, then BUSY (default 2s)
 * @param maxSessions connection pool size = concurrent calls (default 4)
 * @param insecureAllowExtractableKeys accept a server that cannot mark keys non-extractable
 *     (PyKMIP); never in production
 * @param probeRsaPss at start-up, check with a throw-away key pair whether the server's RSA-PSS
 *     signatures use salt length 32 (the SPI's scheme) before reporting SIGN_RSA_PSS
 */
public record KmipDriverConfig(
    String host,
    int port,
    Path clientCertificate,
    Path caCertificate,
    boolean verifyHostname,
    Duration connectTimeout,
    Duration operationTimeout,
    Duration borrowTimeout,
    int maxSessions,
    boolean insecureAllowExtractableKeys,
    boolean probeRsaPss) {

  /**
   * The credential key: the client's PKCS#8 PEM private key, as {@code client_key_file} or {@code
   * client_key_env}.
   */
  public static final String CLIENT_KEY = "client_key";

  /** Each accepted setting with a one-line description. */
  public static Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(
        "host",
        "KMIP server host name or address (required; checked against the server certificate)");
    m.put("port", "KMIP server port (default 5696)");
    m.put(
        "client_certificate",
        "PEM client certificate chain with the clientAuth extended key usage (required)");
    m.put(
        "client_key_file",
        "file holding the client's unencrypted PKCS#8 PEM private key (or client_key_env)");
    m.put(
        "client_key_env",
        "environment variable holding the client's PKCS#8 PEM private key (or client_key_file)");
    m.put(
        "ca_certificate",
        "PEM CA certificate(s) trusted to sign the server certificate (required)");
    m.put("verify_hostname", "check the server certificate's names against host (default true)");
    m.put("connect_timeout", "TCP connect and TLS handshake bound (default 5s)");
    m.put("operation_timeout", "bound on waiting for one response (default 10s)");
    m.put("borrow_timeout", "bound on waiting for a free connection before BUSY (default 2s)");
    m.put("max_sessions", "connection pool size, i.e. concurrent calls (default 4, 1..64)");
    m.put(
        "insecure_allow_extractable_keys",
        "accept servers that cannot mark keys non-extractable, such as PyKMIP "
            + "(default false; test servers only)");
    m.put(
        "probe_rsa_pss",
        "check at start-up that the server's RSA-PSS signatures use salt length 32 (default true)");
    m.put(
        "username",
        "KMIP Username and Password credential sent with every request (optional; needs password_file or password_env)");
    m.put("password_file", "file holding the KMIP credential's password (with username)");
    m.put(
        "password_env",
        "environment variable holding the KMIP credential's password (with username)");
    return m;
  }

  /** Parses and validates {@code s}; unknown keys are rejected. */
  public static KmipDriverConfig from(DriverSettings s) throws HsmFatalException {
    s.rejectUnknown(describe().keySet());
    s.exactlyOneOf("client_key_file", "client_key_env");
    s.atMostOneOf("password_file", "password_env");
    if (s.has("username") != (s.has("password_file") || s.has("password_env"))) {
      throw DriverSettings.configError(
          s.sourceName(), "username", "username and password_file/password_env come together");
    }
    return new KmipDriverConfig(
        s.string("host"),
        s.intValue("port", 5696, 1, 65535),
        s.path("client_certificate"),
        s.path("ca_certificate"),
        s.bool("verify_hostname", true),
        s.duration("connect_timeout", Duration.ofSeconds(5)),
        s.duration("operation_timeout", Duration.ofSeconds(10)),
        s.duration("borrow_timeout", Duration.ofSeconds(2)),
        s.intValue("max_sessions", 4, 1, 64),
        s.bool("insecure_allow_extractable_keys", false),
        s.bool("probe_rsa_pss", true));
  }

  /** The KMIP username, if configured (its password: {@link #password(DriverSettings)}). */
  public static java.util.Optional<String> username(DriverSettings s) throws HsmFatalException {
    return s.optionalString("username");
  }

  /** Reads the password credential, if configured (the caller wipes it). */
  public static java.util.Optional<SecretChars> password(DriverSettings s)
      throws HsmFatalException {
    return s.optionalSecret("password");
  }

  /** Reads the client key credential (the caller wipes it). */
  public static SecretChars clientKey(DriverSettings s) throws HsmFatalException {
    return s.secret(CLIENT_KEY);
  }
}
