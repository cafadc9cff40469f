package dev.fleetvault.bench.kmip;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PyKMIP server for benchmarks (BENCHMARK/TEST USE ONLY): fresh CA, server and client
 * certificates, {@code /usr/bin/pykmip-server} on 127.0.0.1 at a free port in 45000-45999; {@link
 * #close()} sends SIGTERM then SIGKILL.
 */
public final class PyKmipBenchServer implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final Process process;

  private PyKmipBenchServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Starts a server with its files under {@code dir}. */
  public static PyKmipBenchServer start(Path dir) throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/pykmip-server"))) {
      throw new IllegalStateException(
          "/usr/bin/pykmip-server is missing (apt-get install -y python3-pykmip)");
    }
    Files.createDirectories(dir.resolve("policies"));
    KeyPair ca = rsa();
    X500Name caName = new X500Name("CN=Fleetvault bench CA");
    X509v3CertificateBuilder cb =
        new JcaX509v3CertificateBuilder(
            caName, BigInteger.ONE, from(), to(), caName, ca.getPublic());
    cb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    X509Certificate caCert = sign(cb, ca.getPrivate());
    pem(dir.resolve("ca.crt"), caCert);
    issue(
        ca,
        caCert,
        "127.0.0.1",
        KeyPurposeId.id_kp_serverAuth,
        dir.resolve("server.crt"),
        dir.resolve("server.key"));
    issue(
        ca,
        caCert,
        "fleetvault-bench",
        KeyPurposeId.id_kp_clientAuth,
        dir.resolve("client.crt"),
        dir.resolve("client.key"));
    int port = freePort();
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
            "logging_level=WARNING",
            "database_path=" + dir.resolve("pykmip.db"),
            ""));
    Process p =
        new ProcessBuilder(
                "/usr/bin/pykmip-server",
                "-f",
                dir.resolve("server.conf").toString(),
                "-l",
                dir.resolve("server.log").toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("pykmip-server exited; see " + dir.resolve("server.out"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        Thread.sleep(1000); // listening; give the TLS wrapper a moment
        return new PyKmipBenchServer(dir, port, p);
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    p.destroyForcibly();
    throw new IOException("pykmip-server did not listen within 60 s");
  }

  /** Settings for the {@code kmip} driver (PyKMIP needs insecure_allow_extractable_keys). */
  public Map<String, Object> driverSettings(int maxSessions) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", "127.0.0.1");
    m.put("port", port);
    m.put("client_certificate", dir.resolve("client.crt").toString());
    m.put("client_key_file", dir.resolve("client.key").toString());
    m.put("ca_certificate", dir.resolve("ca.crt").toString());
    m.put("insecure_allow_extractable_keys", true);
    m.put("max_sessions", maxSessions);
    m.put("operation_timeout", "30s");
    m.put("borrow_timeout", "30s");
    return m;
  }

  /** The working directory (certificates, config, log). */
  public Path dir() {
    return dir;
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** SIGTERM to the server and its child processes (they outlive the parent), SIGKILL after 3 s. */
  @Override
  public void close() throws InterruptedException {
    java.util.List<ProcessHandle> tree = new java.util.ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < deadline && tree.stream().anyMatch(ProcessHandle::isAlive)) {
      Thread.sleep(100);
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    process.waitFor(10, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      int candidate = 45000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(1000);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate));
        return candidate;
      } catch (IOException busy) {
        // next
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static Date from() {
    return new Date(System.currentTimeMillis() - 3_600_000L);
  }

  private static Date to() {
    return new Date(System.currentTimeMillis() + 24 * 3_600_000L);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey k) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(k)));
  }

  private static void issue(
      KeyPair ca, X509Certificate caCert, String cn, KeyPurposeId eku, Path cert, Path key)
      throws Exception {
    KeyPair kp = rsa();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            caCert,
            BigInteger.valueOf(System.nanoTime()),
            from(),
            to(),
            new X500Name("CN=" + cn),
            kp.getPublic());
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    pem(cert, sign(b, ca.getPrivate()));
    pem(key, new JcaPKCS8Generator(kp.getPrivate(), null).generate());
  }

  private static void pem(Path file, Object o) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    Files.writeString(file, sw.toString());
  }
}
