package dev.fleetvault.gateway.peer;

import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.quorum.ChannelSecurity;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;

/**
 * Production peer trust from the fleet artifact: this node presents exactly its own member
 * certificate from the artifact (with the private key the ceremony left in its data directory), and
 * accepts a peer only if the peer's leaf certificate is byte-for-byte the artifact's certificate of
 * the member it is: when calling, the member configured at the address called (host verification on
 * as well); when called, and on the quorum channels, one of the artifact's members. No CA is
 * trusted; a valid certificate that the artifact does not list is refused during the TLS handshake.
 */
public final class PinnedPeerTrust implements PeerTrust {
  private final PrivateKey key;
  private final X509Certificate own;
  private final Map<String, X509Certificate> byMember;

  /**
   * @param key this node's private key (must match {@code byMember.get(self)})
   * @param self this member's id
   * @param byMember every member's certificate from the artifact, by member id
   * @throws GeneralSecurityException if the key is not the key of this member's certificate
   */
  public PinnedPeerTrust(PrivateKey key, String self, Map<String, X509Certificate> byMember)
      throws GeneralSecurityException {
    this.key = key;
    this.byMember = new LinkedHashMap<>(byMember);
    this.own = byMember.get(self);
    if (own == null) {
      throw new GeneralSecurityException("the fleet artifact has no certificate for " + self);
    }
    PeerIdentity.requireMatch(key, own.getPublicKey(), "peer TLS identity of " + self);
  }

  @Override
  public KeyCertOptions keyCert() {
    return KeyCertOptions.wrap(keyManager());
  }

  @Override
  public TrustOptions clientTrust(List<MemberSpec> members) {
    Map<String, X509Certificate> byAddress = new LinkedHashMap<>();
    for (MemberSpec m : members) {
      X509Certificate c = byMember.get(m.id());
      if (c != null) {
        byAddress.put(addressKey(m.peer().host(), m.peer().port()), c);
      }
    }
    return TrustOptions.wrap(new Pinned(pkix(), byAddress, encodedAll()));
  }

  @Override
  public TrustOptions serverTrust() {
    return TrustOptions.wrap(new Pinned(pkix(), Map.of(), encodedAll()));
  }

  @Override
  public ChannelSecurity channelSecurity(List<String> memberIds) {
    return ChannelSecurity.pinned(key, own, byMember.values(), memberIds);
  }

  private List<byte[]> encodedAll() {
    List<byte[]> out = new ArrayList<>();
    try {
      for (X509Certificate c : byMember.values()) {
        out.add(c.getEncoded());
      }
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private X509KeyManager keyManager() {
    char[] pass = new char[32];
    SecureRandom rnd = new SecureRandom();
    for (int i = 0; i < pass.length; i++) {
      pass[i] = (char) ('a' + rnd.nextInt(26));
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("member", key, pass, new X509Certificate[] {own});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pass);
      for (KeyManager km : kmf.getKeyManagers()) {
        if (km instanceof X509KeyManager x) {
          return x;
        }
      }
      throw new IllegalStateException("no X509KeyManager");
    } catch (Exception e) {
      throw new IllegalStateException("cannot load the peer TLS key: " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(pass, '\0');
    }
  }

  private X509ExtendedTrustManager pkix() {
    try {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      int i = 0;
      for (X509Certificate c : byMember.values()) {
        ts.setCertificateEntry("member-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ts);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new IllegalStateException("no X509ExtendedTrustManager from PKIX");
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the pinned trust store: " + e.getMessage(), e);
    }
  }

  static String addressKey(String host, int port) {
    return host.toLowerCase(java.util.Locale.ROOT) + ":" + port;
  }

  /**
   * PKIX to the member certificates as anchors (with the JDK's host verification), then: the leaf
   * must equal the certificate of the member at the address called (client side, when {@code
   * byAddress} is not empty) or of some member (server side).
   */
  static final class Pinned extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final Map<String, X509Certificate> byAddress;
    private final List<byte[]> all;

    Pinned(
        X509ExtendedTrustManager pkix, Map<String, X509Certificate> byAddress, List<byte[]> all) {
      this.pkix = pkix;
      this.byAddress = Map.copyOf(byAddress);
      this.all = List.copyOf(all);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType, socket);
      requireAnyMember(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType, socket);
      String where =
          socket == null || socket.getInetAddress() == null
              ? null
              : addressKey(socket.getInetAddress().getHostAddress(), socket.getPort());
      requireMemberAt(chain, where);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType, engine);
      requireAnyMember(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType, engine);
      String where =
          engine == null || engine.getPeerHost() == null
              ? null
              : addressKey(engine.getPeerHost(), engine.getPeerPort());
      requireMemberAt(chain, where);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType);
      requireAnyMember(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType);
      requireMemberAt(chain, null);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }

    private void requireMemberAt(X509Certificate[] chain, String where)
        throws CertificateException {
      if (byAddress.isEmpty()) {
        requireAnyMember(chain);
        return;
      }
      X509Certificate expected = where == null ? null : byAddress.get(where);
      if (expected == null) {
        throw new CertificateException(
            "no fleet member is configured at " + where + "; refusing the peer");
      }
      if (!MessageDigest.isEqual(expected.getEncoded(), leaf(chain))) {
        throw new CertificateException(
            "the peer at "
                + where
                + " presented "
                + chain[0].getSubjectX500Principal()
                + ", not the certificate the fleet artifact "
                + "lists for the member at that address");
      }
    }

    private void requireAnyMember(X509Certificate[] chain) throws CertificateException {
      byte[] leaf = leaf(chain);
      for (byte[] c : all) {
        if (MessageDigest.isEqual(c, leaf)) {
          return;
        }
      }
      throw new CertificateException(
          "peer certificate "
              + chain[0].getSubjectX500Principal()
              + " is not the certificate of any member in the fleet artifact");
    }

    private static byte[] leaf(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("no peer certificate");
      }
      return chain[0].getEncoded();
    }
  }
}
