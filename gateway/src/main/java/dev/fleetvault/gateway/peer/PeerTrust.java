package dev.fleetvault.gateway.peer;

import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.quorum.ChannelSecurity;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.util.List;

/**
 * The TLS identity of this node and whom it trusts, on the peer service and on both quorum
 * channels: {@link #pinned} (production: exactly the fleet artifact's member certificates) or
 * {@link #ca} (development PKI or configured {@code peer_tls} files with a fleet CA).
 */
public interface PeerTrust {
  /** This node's key and certificate. */
  KeyCertOptions keyCert();

  /**
   * Trust for calling members: a server is accepted only as the member configured at the address
   * called (pinned mode: its leaf equals that member's certificate; host verification on).
   */
  TrustOptions clientTrust(List<MemberSpec> members);

  /** Trust for members calling this node's peer service. */
  TrustOptions serverTrust();

  /** The same identity and trust for the quorum's two JGroups channels. */
  ChannelSecurity channelSecurity(List<String> memberIds) throws java.io.IOException;

  /** Trust by fleet CA (development PKI, or {@code peer_tls} files). */
  static PeerTrust ca(DevPki.Material material) {
    return new CaPeerTrust(material);
  }
}
