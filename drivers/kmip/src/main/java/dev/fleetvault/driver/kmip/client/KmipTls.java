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
 * its unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}, RSA or EC) and the CA
 * certificates that sign the server's certificate. Only those CAs are trusted (not the JDK's
 * default trust store).
 */
public final class KmipTls {
    private KmipTls() {
    }

    /** Creates a TLS context from three PEM files; problems name the file, never the key content. */
    public static SSLContext fromPem(Path clientCertChain, Path clientKey, Path caCerts) throws IOException, GeneralSecurityException {
        char[] pem = Files.readString(clientKey, StandardCharsets.US_ASCII).toCharArray();
        try {
            return fromPem(clientCertChain, pem, clientKey.toString(), caCerts);
        } finally {
            Arrays.fill(pem, '\0');
        }
    }

    /**
     * Creates a TLS context with the client key given as PEM text (for example read from a
     * credential file or environment variable); {@code keySource} names it in errors.
     */
    public static SSLContext fromPem(Path clientCertChain, char[] clientKeyPem, String keySource, Path caCerts)
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
        PrivateKey key = readPkcs8(clientKeyPem, keySource, ((X509Certificate) chain.iterator().next()).getPublicKey().getAlgorithm());
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
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static PrivateKey readPkcs8(char[] pem, String source, String algorithm) throws GeneralSecurityException {
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        String text = new String(pem);
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new GeneralSecurityException(source + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new GeneralSecurityException(source + ": the PKCS#8 key is not valid base64");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }
}
