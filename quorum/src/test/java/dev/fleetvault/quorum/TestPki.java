package dev.fleetvault.quorum;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
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
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test fleet CA issuing member TLS certificates (P-256, SAN dNSName = name, IP 127.0.0.1). */
public final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One issued identity. */
  public record Identity(String name, KeyPair keys, X509Certificate cert) {}

  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final X500Name caName;

  public TestPki(String caName) {
    this.caKeys = newKey();
    this.caName = new X500Name("CN=" + caName);
    this.caCert = build(this.caName, caKeys, this.caName, caKeys.getPublic(), true, null);
  }

  public X509Certificate caCert() {
    return caCert;
  }

  /** A member (or any) certificate issued by this CA for {@code name}. */
  public Identity issue(String name) {
    KeyPair k = newKey();
    return new Identity(
        name, k, build(caName, caKeys, new X500Name("CN=" + name), k.getPublic(), false, name));
  }

  /** A self-signed leaf certificate for {@code name}. */
  public static Identity selfSigned(String name) {
    KeyPair k = newKey();
    X500Name n = new X500Name("CN=" + name);
    return new Identity(name, k, build(n, k, n, k.getPublic(), false, name));
  }

  /** The channel security of {@code id} trusting this CA and the given member names. */
  public ChannelSecurity security(Identity id, Collection<String> members) {
    return ChannelSecurity.of(id.keys().getPrivate(), List.of(id.cert()), List.of(caCert), members);
  }

  /**
   * Writes {@code id}'s key (0600), its certificate and this CA's certificate as PEM files into
   * {@code dir}.
   */
  public Path[] writePem(Identity id, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path key = dir.resolve(id.name() + ".key.pem");
    Path cert = dir.resolve(id.name() + ".crt.pem");
    Path ca = dir.resolve("ca.crt.pem");
    Files.deleteIfExists(key);
    Files.createFile(
        key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        key,
        pem("PRIVATE KEY", id.keys().getPrivate().getEncoded()),
        StandardCharsets.US_ASCII,
        StandardOpenOption.TRUNCATE_EXISTING);
    try {
      Files.writeString(
          cert, pem("CERTIFICATE", id.cert().getEncoded()), StandardCharsets.US_ASCII);
      Files.writeString(ca, pem("CERTIFICATE", caCert.getEncoded()), StandardCharsets.US_ASCII);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IOException(e);
    }
    return new Path[] {key, cert, ca};
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static KeyPair newKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate build(
      X500Name issuer,
      KeyPair issuerKeys,
      X500Name subject,
      PublicKey key,
      boolean ca,
      String dns) {
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(64, RANDOM).add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(30))),
              subject,
              key);
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
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.dNSName, dns),
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                }));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
