package dev.fleetvault.gateway.fleet;

import dev.fleetvault.bundles.FleetArtifact;
import dev.fleetvault.bundles.FleetMember;
import dev.fleetvault.bundles.evidence.SpkiKeys;
import dev.fleetvault.gateway.config.MemberSpec;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Production: every peer's signing key, HPKE key and TLS certificate from the fleet artifact of a
 * bundle that {@link FleetBundleBoot} verified. Nothing else is consulted.
 */
public final class ArtifactPeerKeys implements PeerKeys {
  private final FleetArtifact artifact;

  /**
   * @param artifact the verified artifact
   */
  public ArtifactPeerKeys(FleetArtifact artifact) {
    this.artifact = artifact;
  }

  /** The artifact the keys come from. */
  public FleetArtifact artifact() {
    return artifact;
  }

  @Override
  public List<Peer> peers(List<MemberSpec> members, Duration timeout) {
    List<Peer> out = new ArrayList<>();
    for (MemberSpec m : members) {
      FleetMember f =
          artifact
              .member(m.id())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "member " + m.id() + " is not in the fleet artifact (" + artifact + ")"));
      out.add(
          new Peer(
              m.id(),
              SpkiKeys.p256FromPoint(f.signingPublicKey()),
              f.hpkePublicKey(),
              f.hasPeerTlsCertificate() ? Optional.of(certificate(f)) : Optional.empty()));
    }
    return out;
  }

  /** The member's peer TLS certificate from the artifact. */
  public static X509Certificate certificate(FleetMember f) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(f.peerTlsCertificate()));
    } catch (CertificateException e) {
      throw new IllegalStateException("member " + f.id() + ": unreadable peer TLS certificate", e);
    }
  }
}
