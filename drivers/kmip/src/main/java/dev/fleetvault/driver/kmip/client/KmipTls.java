package dev.fleetvault.driver.kmip.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS context for mutual authentication from PEM files: the client certificate chain,
 * its unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}, RSA or EC) and the CA certificates
 * that sign the server's certificate. Only those CAs are trusted (not the JDK's default trust
 * store).
 */
public final class KmipTls {
  private KmipTls() {}

  /** Creates a TLS context from three PEM files; problems name the file, never the key content. */
  public static SSLContext fromPem(Path clientCertChain, Path clientKey, Path caCerts)
      throws IOException, GeneralSecurityException {
    char[] pem = Files.readString(clientKey, StandardCharsets.US_ASCII).toCharArray();
    try {
      return fromPem(clientCertChain, pem, clientKey.toString(), caCerts);
    } finally {
      Arrays.fill(pem, '\0');
    }
  }

  /**
   * Creates a TLS context with the client key given as PEM text (for example read from a credential
   * file or environment variable); {@code keySource} names it in errors.
   */
  public static SSLContext fromPem(
      Path clientCertChain, char[] clientKeyPem, String keySource, Path caCerts)
      throws IOException, GeneralSecurityException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Collection<? extends Certificate> chain;
    try (var in = Files.newInputStream(clientCertChain)) {
      chain = cf.generateCertificates(in);
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate in " + clientCertChain);
    }
    Collection<? extends Certificate> cas;
    try (var in = Files.newInputStream(caCerts)) {
      cas = cf.generateCertificates(in);
    }
    if (cas.isEmpty()) {
      throw new GeneralSecurityException("no CA certificate in " + caCerts);
    }
    PrivateKey key =
        readPkcs8(
            clientKeyPem,
            keySource,
            ((X509Certificate) chain.iterator().next()).getPublicKey().getAlgorithm());
    char[] pw = new char[0];
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("client", key, pw, chain.toArray(new Certificate[0]));
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    int i = 0;
    for (Certificate c : cas) {
      ts.setCertificateEntry("ca" + i++, c);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private static PrivateKey readPkcs8(char[] pem, String source, String algorithm)
      throws GeneralSecurityException {
    char[] begin = "-----BEGIN PRIVATE KEY-----".toCharArray();
    char[] end = "-----END PRIVATE KEY-----".toCharArray();
    int b = indexOf(pem, begin, 0);
    int e = b < 0 ? -1 : indexOf(pem, end, b + begin.length);
    if (b < 0 || e < 0) {
      throw new GeneralSecurityException(
          source + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY)");
    }
    // Work on wipeable arrays only: the key never becomes a String.
    byte[] base64 = new byte[e - (b + begin.length)];
    for (int i = 0; i < base64.length; i++) {
      base64[i] = (byte) pem[b + begin.length + i];
    }
    byte[] der = null;
    try {
      der = Base64.getMimeDecoder().decode(base64);
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException ex) {
      throw new GeneralSecurityException(source + ": the PKCS#8 key is not valid base64");
    } finally {
      Arrays.fill(base64, (byte) 0);
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
    }
  }

  private static int indexOf(char[] hay, char[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
