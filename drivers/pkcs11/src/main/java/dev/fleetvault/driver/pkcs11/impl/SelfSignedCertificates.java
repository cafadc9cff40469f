package dev.fleetvault.driver.pkcs11.impl;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The PKCS#11 KeyStore stores a private key only together with a certificate; this makes the
 * placeholder: a self-signed certificate whose subject names the label, signed on the token by the
 * key itself. It carries no trust; only its public key is used.
 */
final class SelfSignedCertificates {

  private SelfSignedCertificates() {}

  static X509Certificate create(
      String label, KeyPair pair, String signatureAlgorithm, Provider token)
      throws GeneralSecurityException {
    X500Name name = new X500Name("CN=fleetvault key " + label.replaceAll("[^A-Za-z0-9._:-]", ""));
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(1, ChronoUnit.DAYS)),
            Date.from(now.plus(36500, ChronoUnit.DAYS)),
            name,
            pair.getPublic());
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder(signatureAlgorithm)
              .setProvider(token)
              .build(pair.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign placeholder certificate", e);
    }
  }
}
