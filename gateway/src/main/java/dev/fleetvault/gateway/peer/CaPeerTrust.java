package dev.fleetvault.gateway.peer;

import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.quorum.ChannelSecurity;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.util.List;

/**
 * Trust by fleet CA: a peer is accepted if its chain validates to the CA (and, as a server, names
 * the host called; on the quorum channels, names a member). Development PKI or configured {@code
 * peer_tls} files.
 */
final class CaPeerTrust implements PeerTrust {
  private final DevPki.Material tls;

  CaPeerTrust(DevPki.Material tls) {
    this.tls = tls;
  }

  @Override
  public KeyCertOptions keyCert() {
    return new PemKeyCertOptions()
        .setCertPath(tls.cert().toString())
        .setKeyPath(tls.key().toString());
  }

  @Override
  public TrustOptions clientTrust(List<MemberSpec> members) {
    return serverTrust();
  }

  @Override
  public TrustOptions serverTrust() {
    return new PemTrustOptions().addCertPath(tls.caCert().toString());
  }

  @Override
  public ChannelSecurity channelSecurity(List<String> memberIds) throws IOException {
    return ChannelSecurity.fromPemFiles(tls.key(), tls.cert(), tls.caCert(), memberIds);
  }
}
