package dev.fleetvault.gateway.peer;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
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
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * DEVELOPMENT PKI for the internal {@code Member} service and the quorum's two channels: a fleet CA
 * and one certificate per member (P-256, serverAuth + clientAuth; SANs: the member's hosts - IP
 * addresses as {@code iPAddress}, names as {@code dNSName} - and the member id as a {@code
 * dNSName}), generated once into {@code <fleet dir>/pki/} and reused while it still names every
 * requested host (otherwise re-issued). Private keys are written owner-only (0600). Safe against
 * several node processes starting at once (a file lock serialises generation). Production nodes
 * configure {@code peer_tls} files instead.
 */
public final class DevPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** PEM paths of one member's TLS material. */
  public record Material(Path caCert, Path cert, Path key) {}

  private DevPki() {}

  /**
   * Ensures the fleet CA and {@code memberId}'s certificate for the loopback hosts {@code
   * 127.0.0.1} and {@code localhost} exist under {@code pkiDir}.
   */
  public static Material ensure(Path pkiDir, String memberId) throws IOException {
    return ensure(pkiDir, memberId, List.of("127.0.0.1", "localhost"));
  }

  /**
   * Ensures the fleet CA and {@code memberId}'s certificate naming every one of {@code hosts} exist
   * under {@code pkiDir} (an existing certificate missing one of them is re-issued).
   */
  public static Material ensure(Path pkiDir, String memberId, List<String> hosts)
      throws IOException {
    Files.createDirectories(pkiDir);
    Path caCert = pkiDir.resolve("fleet-ca.crt.pem");
    Path caKey = pkiDir.resolve("fleet-ca.key.pem");
    Path cert = pkiDir.resolve(memberId + ".crt.pem");
    Path key = pkiDir.resolve(memberId + ".key.pem");
    synchronized (DevPki.class) {
      return ensureLocked(pkiDir, memberId, List.copyOf(hosts), caCert, caKey, cert, key);
    }
  }

  @SuppressWarnings("try") // the lock is held for the block's duration, never referenced
  private static Material ensureLocked(
      Path pkiDir,
      String memberId,
      List<String> hosts,
      Path caCert,
      Path caKey,
      Path cert,
      Path key)
      throws IOException {
    try (FileChannel ch =
            FileChannel.open(
                pkiDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      if (!Files.exists(caCert)) {
        KeyPair ca = newKeyPair();
        X500Name name = new X500Name("CN=Fleetvault development fleet CA");
        X509Certificate c = sign(name, ca, name, ca.getPublic(), true, null, List.of());
        write(caKey, pem(ca.getPrivate()));
        write(caCert, pem(c));
      }
      if (!Files.exists(cert) || !names(readCert(cert), hosts)) {
        KeyPair caPair = new KeyPair(readCert(caCert).getPublicKey(), readKey(caKey));
        KeyPair kp = newKeyPair();
        X509Certificate c =
            sign(
                new X500Name("CN=Fleetvault development fleet CA"),
                caPair,
                new X500Name("CN=" + memberId),
                kp.getPublic(),
                false,
                memberId,
                hosts);
        write(key, pem(kp.getPrivate()));
        write(cert, pem(c));
      }
      ownerOnly(caKey); // keys written by an older version may be world-readable
      ownerOnly(key);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot generate development TLS material: " + e.getMessage(), e);
    }
    return new Material(caCert, cert, key);
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(
      X500Name issuer,
      KeyPair issuerKeys,
      X500Name subject,
      java.security.PublicKey subjectKey,
      boolean ca,
      String memberId,
      List<String> hosts)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer,
            new BigInteger(64, RANDOM).add(BigInteger.ONE),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(3650))),
            subject,
            subjectKey);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (ca) {
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      List<GeneralName> sans = new ArrayList<>();
      for (String h : hosts) {
        sans.add(new GeneralName(isIp(h) ? GeneralName.iPAddress : GeneralName.dNSName, h));
      }
      if (!hosts.contains(memberId)) {
        sans.add(new GeneralName(GeneralName.dNSName, memberId));
      }
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(sans.toArray(new GeneralName[0])));
    }
    ContentSigner signer =
        new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  private static boolean isIp(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  /** True if {@code c} carries every host as a SAN (IP or DNS, as the host is written). */
  private static boolean names(X509Certificate c, List<String> hosts)
      throws GeneralSecurityException {
    Collection<List<?>> sans = c.getSubjectAlternativeNames();
    if (sans == null) {
      return hosts.isEmpty();
    }
    List<String> have = new ArrayList<>();
    for (List<?> san : sans) {
      have.add(String.valueOf(san.get(1)));
    }
    for (String h : hosts) {
      if (!have.contains(h)) {
        return false;
      }
    }
    return true;
  }

  private static String pem(Object o) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      if (o instanceof PrivateKey) {
        w.writeObject(
            new org.bouncycastle.util.io.pem.PemObject(
                "PRIVATE KEY", ((PrivateKey) o).getEncoded()));
      } else {
        w.writeObject(o);
      }
    }
    return sw.toString();
  }

  private static void ownerOnly(Path keyFile) throws IOException {
    java.util.Set<java.nio.file.attribute.PosixFilePermission> owner =
        PosixFilePermissions.fromString("rw-------");
    if (Files.exists(keyFile) && !Files.getPosixFilePermissions(keyFile).equals(owner)) {
      Files.setPosixFilePermissions(keyFile, owner);
    }
  }

  private static void write(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp,
        PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString(
                file.getFileName().toString().endsWith(".key.pem") ? "rw-------" : "rw-r--r--")));
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static X509Certificate readCert(Path file) throws IOException, GeneralSecurityException {
    try (var in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
    String b64 =
        Files.readString(file, StandardCharsets.US_ASCII)
            .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
    return KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
  }
}
