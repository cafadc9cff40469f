package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.ChannelSecurity;
import java.net.Socket;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the TLS 1.3 {@link SSLContext} of both quorum channels from a {@link ChannelSecurity}:
 * this node's key and chain (in an in-memory key store, never on disk) and a trust manager that
 * accepts a peer only if PKIX validation to the configured anchors succeeds <em>and</em> the leaf
 * names a fleet member.
 */
final class ChannelTls {
  static final String PROTOCOL = "TLSv1.3";

  private ChannelTls() {}

  static SSLContext context(ChannelSecurity s) throws Exception {
    char[] pass = new char[32];
    SecureRandom rnd = new SecureRandom();
    for (int i = 0; i < pass.length; i++) pass[i] = (char) ('a' + rnd.nextInt(26));
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(
          "member", s.privateKey(), pass, s.certificateChain().toArray(new X509Certificate[0]));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pass);
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      int i = 0;
      for (X509Certificate a : s.trustAnchors()) ts.setCertificateEntry("anchor-" + i++, a);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ts);
      X509ExtendedTrustManager pkix = null;
      for (TrustManager tm : tmf.getTrustManagers())
        if (tm instanceof X509ExtendedTrustManager x) pkix = x;
      if (pkix == null) throw new IllegalStateException("no X509ExtendedTrustManager from PKIX");
      SSLContext ctx = SSLContext.getInstance(PROTOCOL);
      ctx.init(
          kmf.getKeyManagers(),
          new TrustManager[] {
            new MemberTrustManager(pkix, s.memberNames(), s.pinnedCertificates())
          },
          rnd);
      return ctx;
    } finally {
      java.util.Arrays.fill(pass, '\0');
    }
  }

  /** PKIX to the anchors, then: the leaf must name a member. */
  static final class MemberTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final Set<String> members;
    private final List<byte[]> pinned;

    MemberTrustManager(
        X509ExtendedTrustManager pkix, Set<String> members, List<X509Certificate> pinned) {
      this.pkix = pkix;
      this.members = Set.copyOf(members);
      this.pinned = new java.util.ArrayList<>();
      try {
        for (X509Certificate c : pinned) this.pinned.add(c.getEncoded());
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalArgumentException("unencodable pinned certificate", e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType, socket);
      requireMember(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType, socket);
      requireMember(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType, engine);
      requireMember(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType, engine);
      requireMember(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType);
      requireMember(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType);
      requireMember(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }

    private void requireMember(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) throw new CertificateException("no peer certificate");
      if (!pinned.isEmpty()) {
        byte[] leaf = chain[0].getEncoded();
        boolean listed = false;
        for (byte[] p : pinned) listed |= java.security.MessageDigest.isEqual(p, leaf);
        if (!listed)
          throw new CertificateException(
              "peer certificate "
                  + chain[0].getSubjectX500Principal()
                  + " is not the certificate of any member in the fleet artifact");
      }
      for (String n : names(chain[0])) if (members.contains(n)) return;
      throw new CertificateException(
          "peer certificate " + chain[0].getSubjectX500Principal() + " names no fleet member");
    }
  }

  /** SAN dNSNames of {@code c}; without any, its subject CN(s). */
  static List<String> names(X509Certificate c) throws CertificateException {
    List<String> out = new java.util.ArrayList<>();
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans != null)
        for (List<?> san : sans)
          if (Integer.valueOf(2).equals(san.get(0))) out.add(String.valueOf(san.get(1)));
    } catch (CertificateParsingException e) {
      throw new CertificateException("unreadable subjectAltName", e);
    }
    if (!out.isEmpty()) return out;
    try {
      for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns())
        if (rdn.getType().equalsIgnoreCase("CN")) out.add(String.valueOf(rdn.getValue()));
    } catch (InvalidNameException e) {
      throw new CertificateException("unreadable subject", e);
    }
    return out;
  }
}
