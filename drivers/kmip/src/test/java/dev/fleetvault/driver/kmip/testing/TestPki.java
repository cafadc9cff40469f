package dev.fleetvault.driver.kmip.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Date;
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
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-only PKI for the PyKMIP harness: a CA, a server certificate for 127.0.0.1/localhost
 * (serverAuth) and client certificates (clientAuth, which PyKMIP requires), written as PEM with
 * unencrypted PKCS#8 keys. Keys are RSA because PyKMIP's TLS 1.2 suite list is RSA-based.
 */
public final class TestPki {
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final SecureRandom random = new SecureRandom();

  private TestPki(KeyPair caKeys, X509Certificate caCert) {
    this.caKeys = caKeys;
    this.caCert = caCert;
  }

  /** A fresh CA named {@code cn}. */
  public static TestPki create(String cn) throws Exception {
    KeyPair kp = rsa();
    X500Name name = new X500Name("CN=" + cn);
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name, BigInteger.ONE, notBefore(), notAfter(), name, kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new TestPki(kp, sign(b, kp.getPrivate()));
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static Date notBefore() {
    return new Date(System.currentTimeMillis() - 3_600_000L);
  }

  private static Date notAfter() {
    return new Date(System.currentTimeMillis() + 7L * 24 * 3_600_000L);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
  }

  /** Writes the CA certificate to {@code file}. */
  public void writeCa(Path file) throws IOException {
    writePem(file, caCert);
  }

  /** Issues a server certificate for 127.0.0.1 and localhost; writes certificate and key. */
  public void issueServer(String cn, Path certFile, Path keyFile) throws Exception {
    issue(cn, KeyPurposeId.id_kp_serverAuth, true, certFile, keyFile);
  }

  /**
   * Issues a client certificate; {@code withClientAuth} false leaves out the clientAuth EKU (for
   * negative tests).
   */
  public void issueClient(String cn, boolean withClientAuth, Path certFile, Path keyFile)
      throws Exception {
    issue(
        cn,
        withClientAuth ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_codeSigning,
        false,
        certFile,
        keyFile);
  }

  private void issue(String cn, KeyPurposeId eku, boolean server, Path certFile, Path keyFile)
      throws Exception {
    KeyPair kp = rsa();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            caCert,
            new BigInteger(64, random).add(BigInteger.TWO),
            notBefore(),
            notAfter(),
            new X500Name("CN=" + cn),
            kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
    if (server) {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
    }
    writePem(certFile, sign(b, caKeys.getPrivate()));
    writePem(keyFile, new JcaPKCS8Generator(kp.getPrivate(), null).generate());
  }

  private static void writePem(Path file, Object o) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    Files.writeString(file, sw.toString());
  }
}
