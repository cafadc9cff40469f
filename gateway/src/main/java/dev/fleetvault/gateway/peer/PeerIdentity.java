package dev.fleetvault.gateway.peer;

import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A member's peer TLS identity made by the key ceremony ({@code fleetvault ceremony member}) on the
 * member's own host: a P-256 key pair and a self-signed certificate (serverAuth + clientAuth; SANs:
 * the hosts of the member's peer, raft and cluster addresses - IP addresses as {@code iPAddress},
 * names as {@code dNSName} - and the member id as a {@code dNSName}). The private key is written
 * owner-only (0600) to {@code <data_dir>/peer-tls.key.pem} and never leaves the host; the
 * certificate ({@code peer-tls.crt.pem}) goes into the member's signed key statement and from there
 * into the fleet artifact, where every other member pins it.
 */
public final class PeerIdentity {
  /** The private key file, in the node's data directory. */
  public static final String KEY_FILE = "peer-tls.key.pem";

  /** The certificate file, in the node's data directory. */
  public static final String CERT_FILE = "peer-tls.crt.pem";

  /** How long a ceremony certificate is valid (the artifact's validity is the real bound). */
  public static final Duration VALIDITY = Duration.ofDays(3650);

  private static final SecureRandom RANDOM = new SecureRandom();

  private PeerIdentity() {}

  /** The private key of {@code node}: {@code peer_tls.key} if configured, else the ceremony's. */
  public static Path keyFile(NodeSpec node) {
    return node.peerTls().generate() ? node.dataDir().resolve(KEY_FILE) : node.peerTls().key();
  }

  /**
   * Returns the ceremony certificate of {@code member} in {@code node}'s data directory, generating
   * the key pair and certificate first if either file is missing.
   */
  public static X509Certificate ensure(NodeSpec node, MemberSpec member) throws IOException {
    Path key = node.dataDir().resolve(KEY_FILE);
    Path cert = node.dataDir().resolve(CERT_FILE);
    try {
      if (Files.isRegularFile(key) && Files.isRegularFile(cert)) {
        X509Certificate c = readCertificate(Files.readAllBytes(cert));
        requireMatch(readPrivateKey(key), c.getPublicKey(), key + " and " + cert);
        return c;
      }
      Files.createDirectories(node.dataDir());
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair kp = g.generateKeyPair();
      X509Certificate c = selfSigned(member, kp);
      write(key, pem("PRIVATE KEY", kp.getPrivate().getEncoded()), true);
      write(cert, pem("CERTIFICATE", c.getEncoded()), false);
      return c;
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IOException(
          "cannot make the peer TLS identity of " + member.id() + ": " + e.getMessage(), e);
    }
  }

  /** The distinct hosts of a member's peer, ledger and record-store addresses. */
  public static List<String> hostsOf(MemberSpec m) {
    return Stream.of(m.peer().host(), m.raft().host(), m.cluster().host()).distinct().toList();
  }

  private static X509Certificate selfSigned(MemberSpec member, KeyPair kp)
      throws GeneralSecurityException,
          org.bouncycastle.operator.OperatorCreationException,
          IOException {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=" + member.id());
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(64, RANDOM).add(BigInteger.ONE),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(VALIDITY)),
            name,
            kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    b.addExtension(
        Extension.extendedKeyUsage,
        false,
        new ExtendedKeyUsage(
            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    List<GeneralName> sans = new ArrayList<>();
    List<String> hosts = hostsOf(member);
    for (String h : hosts) {
      sans.add(new GeneralName(isIp(h) ? GeneralName.iPAddress : GeneralName.dNSName, h));
    }
    if (!hosts.contains(member.id())) {
      sans.add(new GeneralName(GeneralName.dNSName, member.id()));
    }
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(sans.toArray(new GeneralName[0])));
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
  }

  private static boolean isIp(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  /** Parses a DER or PEM certificate. */
  public static X509Certificate readCertificate(byte[] derOrPem) throws GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(derOrPem));
  }

  /** Reads a PKCS#8 PEM EC private key. */
  public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    int b = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int e = text.indexOf("-----END PRIVATE KEY-----");
    if (b < 0 || e < b) {
      throw new GeneralSecurityException("no PKCS#8 PRIVATE KEY block in " + file);
    }
    byte[] der = Base64.getMimeDecoder().decode(text.substring(b + 27, e));
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    } finally {
      java.util.Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * Checks that {@code key} is the private half of {@code pub} (signs a random challenge and
   * verifies it); throws naming {@code what} otherwise.
   */
  public static void requireMatch(PrivateKey key, PublicKey pub, String what)
      throws GeneralSecurityException {
    byte[] challenge = new byte[32];
    RANDOM.nextBytes(challenge);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(key);
    s.update(challenge);
    byte[] sig = s.sign();
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(pub);
    v.update(challenge);
    if (!v.verify(sig)) {
      throw new GeneralSecurityException(
          what + ": the private key is not the key of the " + "certificate");
    }
  }

  /** PEM text of {@code der}. */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void write(Path file, String text, boolean secret) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp,
        PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
