package dev.fleetvault.driver.kmip.testing;

import dev.fleetvault.driver.kmip.client.KmipClientConfig;
import dev.fleetvault.driver.kmip.client.KmipTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real PyKMIP 0.10 server on 127.0.0.1 for tests: generates a CA, server and client certificates
 * into its directory, writes {@code server.conf} and an empty policy directory, starts {@code
 * /usr/bin/pykmip-server -f server.conf -l server.log} on a free port in 45000-45999 (falling back
 * to any free port) and waits until it completes a TLS handshake. {@link #close()} (or a JVM
 * shutdown hook) sends SIGTERM to the server and its child processes, then SIGKILL after 3 s
 * (PyKMIP does not exit promptly and its children outlive the parent).
 */
public final class PyKmipServer implements AutoCloseable {
  /**
   * The Debian python3-pykmip entry point (system property {@code fleetvault.pykmip.server}
   * overrides it).
   */
  public static final Path BINARY =
      Path.of(System.getProperty("fleetvault.pykmip.server", "/usr/bin/pykmip-server"));

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final int port;
  private final Process process;
  private final SSLContext clientContext;

  private PyKmipServer(Path dir, int port, Process process, SSLContext clientContext) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.clientContext = clientContext;
  }

  /** Whether PyKMIP is installed and importable by Debian's python3; the reason otherwise. */
  public static String unavailableReason() {
    if (!Files.isExecutable(BINARY)) {
      return BINARY + " is not installed (apt-get install -y python3-pykmip)";
    }
    try {
      Process p =
          new ProcessBuilder("/usr/bin/python3", "-c", "import kmip.services.server")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "/usr/bin/python3 -c 'import kmip' did not finish";
      }
      return p.exitValue() == 0 ? null : "/usr/bin/python3 cannot import the kmip module";
    } catch (IOException e) {
      return "cannot run /usr/bin/python3: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Creates certificates and configuration under {@code dir} and starts the server. */
  public static PyKmipServer start(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("policies"));
    TestPki pki = TestPki.create("Fleetvault KMIP test CA");
    pki.writeCa(dir.resolve("ca.crt"));
    pki.issueServer("127.0.0.1", dir.resolve("server.crt"), dir.resolve("server.key"));
    pki.issueClient(
        "fleetvault-kmip-test", true, dir.resolve("client.crt"), dir.resolve("client.key"));
    pki.issueClient(
        "fleetvault-no-client-auth", false, dir.resolve("noauth.crt"), dir.resolve("noauth.key"));
    SSLContext ctx =
        KmipTls.fromPem(
            dir.resolve("client.crt"), dir.resolve("client.key"), dir.resolve("ca.crt"));
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort(attempt < 4);
      Files.writeString(
          dir.resolve("server.conf"),
          String.join(
              "\n",
              "[server]",
              "hostname=127.0.0.1",
              "port=" + port,
              "certificate_path=" + dir.resolve("server.crt"),
              "key_path=" + dir.resolve("server.key"),
              "ca_path=" + dir.resolve("ca.crt"),
              "auth_suite=TLS1.2",
              "policy_path=" + dir.resolve("policies"),
              "enable_tls_client_auth=True",
              "logging_level=INFO",
              "database_path=" + dir.resolve("pykmip.db"),
              ""));
      Process p =
          new ProcessBuilder(
                  BINARY.toString(),
                  "-f",
                  dir.resolve("server.conf").toString(),
                  "-l",
                  dir.resolve("server.log").toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile()))
              .start();
      try {
        Thread hook = new Thread(() -> stop(p), "pykmip-server-stop");
        Runtime.getRuntime()
            .addShutdownHook(hook); // also when the test JVM ends without closing us
        waitForTls(p, port, ctx);
        return new PyKmipServer(dir, port, p, ctx);
      } catch (IOException e) {
        last = e;
        stop(p);
      }
    }
    throw new IOException(
        "PyKMIP did not start; see " + dir.resolve("server.log") + " and server.out", last);
  }

  private static int freePort(boolean ownRange) throws IOException {
    for (int i = 0; ownRange && i < 50; i++) {
      int candidate = 45000 + ThreadLocalRandom.current().nextInt(1000);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate));
        return candidate;
      } catch (IOException busy) {
        // try another
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void waitForTls(Process p, int port, SSLContext ctx)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException(
            "pykmip-server exited with " + p.exitValue() + " on port " + port, last);
      }
      try (Socket raw = new Socket()) {
        raw.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        raw.setSoTimeout(5000);
        try (SSLSocket s =
            (SSLSocket) ctx.getSocketFactory().createSocket(raw, "127.0.0.1", port, true)) {
          s.setEnabledProtocols(new String[] {"TLSv1.2"});
          s.startHandshake();
          return;
        }
      } catch (IOException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw new IOException(
        "pykmip-server did not accept TLS on port " + port + " within " + START_TIMEOUT, last);
  }

  /** The port it listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  /** Its working directory (certificates, config, database, log). */
  public Path dir() {
    return dir;
  }

  /** TLS context with the client certificate (clientAuth) and the test CA. */
  public SSLContext clientContext() {
    return clientContext;
  }

  /** Client configuration for this server, with short test timeouts. */
  public KmipClientConfig.Builder clientConfig() {
    return KmipClientConfig.builder("127.0.0.1", port, clientContext)
        .connectTimeout(Duration.ofSeconds(10))
        .operationTimeout(Duration.ofSeconds(30))
        .borrowTimeout(Duration.ofSeconds(30))
        .tlsProtocols(List.of("TLSv1.2"));
  }

  /** Driver settings for this server (the {@code kmip} driver's keys). */
  public java.util.Map<String, Object> driverSettings() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("host", "127.0.0.1");
    m.put("port", port);
    m.put("client_certificate", dir.resolve("client.crt").toString());
    m.put("client_key_file", dir.resolve("client.key").toString());
    m.put("ca_certificate", dir.resolve("ca.crt").toString());
    m.put("operation_timeout", "30s");
    m.put("borrow_timeout", "30s");
    return m;
  }

  @Override
  public void close() {
    stop(process);
  }

  /**
   * Stops the server and every process it forked (PyKMIP runs its server in child processes that
   * outlive the parent): SIGTERM to all, then SIGKILL to survivors after 3 s.
   */
  static void stop(Process p) {
    java.util.List<ProcessHandle> tree = new java.util.ArrayList<>();
    p.descendants().forEach(tree::add);
    tree.add(p.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    try {
      while (System.nanoTime() < deadline && tree.stream().anyMatch(ProcessHandle::isAlive)) {
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
