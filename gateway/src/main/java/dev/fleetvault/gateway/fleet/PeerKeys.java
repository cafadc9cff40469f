package dev.fleetvault.gateway.fleet;

import dev.fleetvault.gateway.config.MemberSpec;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every member's public keys as this node trusts them: the ledger-signing key (verifies that
 * member's ledger commands), the HPKE key, and the peer TLS certificate the member must present.
 * Production: {@link ArtifactPeerKeys}, taken from the fleet artifact of a verified bundle only.
 * Development: {@link DirectoryPeerKeys}, the development fleet directory (no certificates; the
 * development PKI's CA is trusted instead).
 */
public interface PeerKeys {
  /**
   * One member's keys.
   *
   * @param id the member id
   * @param signingPublic ECDSA P-256 ledger-signing key
   * @param hpkePublic 65-byte uncompressed HPKE public key
   * @param tlsCertificate the certificate the member must present on the peer and quorum ports
   *     (absent in development)
   */
  record Peer(
      String id,
      PublicKey signingPublic,
      byte[] hpkePublic,
      Optional<X509Certificate> tlsCertificate) {}

  /**
   * The keys of {@code members}, in that order; blocks up to {@code timeout} where the source fills
   * in over time (the development directory). Fails naming the member whose keys are missing.
   */
  List<Peer> peers(List<MemberSpec> members, Duration timeout) throws Exception;
}
