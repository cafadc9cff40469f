package dev.fleetvault.quorum;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a node authenticates and encrypts its two quorum channels (the Raft ledger channel and the
 * Infinispan record-store channel): the one place member TLS identities enter the quorum, so that
 * the fleet's signed artifact can feed it later.
 *
 * <p>Guarantees when {@link #plaintextDevelopmentOnly()} is false (every production node): both
 * JGroups channels run TLS 1.3 with client authentication <em>required</em>. A peer is accepted (as
 * client or server) only if its certificate chain is valid to one of {@link #trustAnchors()} (a
 * fleet CA that issues member certificates, or the member certificates themselves, pinned)
 * <em>and</em> its leaf certificate names one of {@link #memberNames()} (as a SAN {@code dNSName}
 * or, without SANs, as its subject CN). Anything else - no certificate, self-signed, another CA, a
 * fleet-CA certificate for a name that is not a member - fails the handshake before a single
 * JGroups byte is read.
 *
 * <p>Pinned mode ({@link #pinned}, every production node, fed from the fleet's signed artifact):
 * the trust anchors are exactly the members' own certificates, and a peer is accepted only if its
 * leaf certificate is byte-for-byte one of {@link #pinnedCertificates()} (and names a member). A
 * certificate from any CA, or a valid self-signed certificate that the artifact does not list,
 * fails the handshake.
 *
 * <p>Not yet: the name in a peer's certificate is not bound to the JGroups/Raft address it claims
 * (a member could speak as another member); the ledger's per-command signatures cover that for row
 * changes.
 */
public interface ChannelSecurity {

  /** This node's TLS private key (never logged, never written by the quorum). */
  PrivateKey privateKey();

  /** This node's certificate chain, leaf first. */
  List<X509Certificate> certificateChain();

  /**
   * Certificates a peer's chain must end at: the fleet CA(s), or the member certificates
   * themselves.
   */
  List<X509Certificate> trustAnchors();

  /** The names a peer's leaf certificate must carry (SAN dNSName or CN): the fleet's members. */
  Set<String> memberNames();

  /**
   * The members' certificates a peer's leaf must equal (pinned mode); empty when trust is by CA
   * ({@link #trustAnchors()} and {@link #memberNames()} only).
   */
  default List<X509Certificate> pinnedCertificates() {
    return List.of();
  }

  /**
   * Pinned mode: this node's key and its certificate (as listed in the fleet artifact), and every
   * member's certificate from the artifact (this node's included). A peer is accepted only if its
   * leaf equals one of {@code memberCertificates}; each certificate is its own trust anchor.
   */
  static ChannelSecurity pinned(
      PrivateKey key,
      X509Certificate own,
      Collection<X509Certificate> memberCertificates,
      Collection<String> memberNames) {
    return new Pinned(
        new Tls(key, List.of(own), List.copyOf(memberCertificates), Set.copyOf(memberNames)));
  }

  /**
   * True only for the explicit development/test plaintext mode: the channels then run without TLS
   * (and say so in the log at WARN). Never set by the gateway.
   */
  default boolean plaintextDevelopmentOnly() {
    return false;
  }

  /** TLS material held in memory. */
  static ChannelSecurity of(
      PrivateKey key,
      List<X509Certificate> chain,
      Collection<X509Certificate> anchors,
      Collection<String> memberNames) {
    return new Tls(key, List.copyOf(chain), List.copyOf(anchors), Set.copyOf(memberNames));
  }

  /**
   * Reads PEM files: a PKCS#8 {@code PRIVATE KEY} (EC or RSA), this node's certificate chain, and
   * the trust anchors (one or more certificates).
   */
  static ChannelSecurity fromPemFiles(
      Path keyFile, Path chainFile, Path anchorsFile, Collection<String> memberNames)
      throws IOException {
    try {
      return of(
          Pem.privateKey(keyFile),
          Pem.certificates(chainFile),
          Pem.certificates(anchorsFile),
          memberNames);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(
          "cannot read quorum TLS material ("
              + keyFile.getFileName()
              + ", "
              + chainFile.getFileName()
              + ", "
              + anchorsFile.getFileName()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The explicit DEVELOPMENT/TEST switch: both channels in plaintext, unauthenticated. Only for
   * tests that must show what the wire carries without TLS; no configuration file can select it.
   */
  static ChannelSecurity insecurePlaintextForTests() {
    return Plaintext.INSTANCE;
  }

  /** In-memory TLS material; validated on construction. */
  record Tls(
      PrivateKey privateKey,
      List<X509Certificate> certificateChain,
      List<X509Certificate> trustAnchors,
      Set<String> memberNames)
      implements ChannelSecurity {
    public Tls {
      Objects.requireNonNull(privateKey, "privateKey");
      if (certificateChain.isEmpty())
        throw new IllegalArgumentException("certificate chain is empty");
      if (trustAnchors.isEmpty()) throw new IllegalArgumentException("no trust anchors");
      if (memberNames.isEmpty()) throw new IllegalArgumentException("no member names");
      if (!certificateChain.get(0).getPublicKey().getAlgorithm().equals(privateKey.getAlgorithm()))
        throw new IllegalArgumentException(
            "private key ("
                + privateKey.getAlgorithm()
                + ") does not match the certificate ("
                + certificateChain.get(0).getPublicKey().getAlgorithm()
                + ")");
    }

    @Override
    public String toString() {
      return "ChannelSecurity[TLS, cert="
          + certificateChain.get(0).getSubjectX500Principal()
          + ", anchors="
          + trustAnchors.size()
          + ", members="
          + memberNames
          + "]";
    }
  }

  /**
   * Pinned TLS material: {@link Tls} whose anchors are also the only acceptable leaf certificates.
   */
  record Pinned(Tls tls) implements ChannelSecurity {
    public Pinned {
      if (!tls.trustAnchors().contains(tls.certificateChain().get(0)))
        throw new IllegalArgumentException(
            "this node's certificate is not among the pinned member certificates");
    }

    @Override
    public PrivateKey privateKey() {
      return tls.privateKey();
    }

    @Override
    public List<X509Certificate> certificateChain() {
      return tls.certificateChain();
    }

    @Override
    public List<X509Certificate> trustAnchors() {
      return tls.trustAnchors();
    }

    @Override
    public Set<String> memberNames() {
      return tls.memberNames();
    }

    @Override
    public List<X509Certificate> pinnedCertificates() {
      return tls.trustAnchors();
    }

    @Override
    public String toString() {
      return "ChannelSecurity[TLS pinned, cert="
          + certificateChain().get(0).getSubjectX500Principal()
          + ", pinned="
          + pinnedCertificates().size()
          + ", members="
          + memberNames()
          + "]";
    }
  }

  /** The plaintext development mode. */
  final class Plaintext implements ChannelSecurity {
    static final Plaintext INSTANCE = new Plaintext();

    private Plaintext() {}

    @Override
    public PrivateKey privateKey() {
      throw new IllegalStateException("plaintext mode has no key");
    }

    @Override
    public List<X509Certificate> certificateChain() {
      return List.of();
    }

    @Override
    public List<X509Certificate> trustAnchors() {
      return List.of();
    }

    @Override
    public Set<String> memberNames() {
      return Set.of();
    }

    @Override
    public boolean plaintextDevelopmentOnly() {
      return true;
    }

    @Override
    public String toString() {
      return "ChannelSecurity[PLAINTEXT, development only]";
    }
  }

  /** PEM reading (no Bouncy Castle). */
  final class Pem {
    private Pem() {}

    static List<X509Certificate> certificates(Path file)
        throws IOException, GeneralSecurityException {
      List<X509Certificate> out = new ArrayList<>();
      try (InputStream in = Files.newInputStream(file)) {
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in))
          out.add((X509Certificate) c);
      }
      if (out.isEmpty())
        throw new IllegalArgumentException("no certificate in " + file.getFileName());
      return out;
    }

    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
      String text = Files.readString(file, StandardCharsets.US_ASCII);
      int b = text.indexOf("-----BEGIN PRIVATE KEY-----");
      int e = text.indexOf("-----END PRIVATE KEY-----");
      if (b < 0 || e < b)
        throw new IllegalArgumentException("no PKCS#8 PRIVATE KEY block in " + file.getFileName());
      byte[] der = Base64.getMimeDecoder().decode(text.substring(b + 27, e));
      PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
      try {
        return KeyFactory.getInstance("EC").generatePrivate(spec);
      } catch (GeneralSecurityException ec) {
        return KeyFactory.getInstance("RSA").generatePrivate(spec);
      } finally {
        java.util.Arrays.fill(der, (byte) 0);
      }
    }
  }
}
