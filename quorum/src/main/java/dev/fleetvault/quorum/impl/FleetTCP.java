package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.ChannelSecurity;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.annotations.Property;
import org.jgroups.protocols.TCP;
import org.jgroups.util.TLSClientAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JGroups {@code TCP} transport of both quorum channels, with TLS from the node's {@link
 * ChannelSecurity}.
 *
 * <p>A stack names its security by an opaque one-node handle ({@code fleet_security}) that {@link
 * JGroupsStacks} registers just before the channel is built and releases right after (the
 * Infinispan record-store channel is built by Infinispan from XML, so an object cannot be passed
 * directly). In {@link #init()} the handle is resolved and JGroups 5.5's own TLS component ({@code
 * org.jgroups.util.TLS}) is configured with an {@code SSLContext} (TLS 1.3 only), client
 * authentication {@code NEED}; {@code TCP.start()} then builds its server and client sockets from
 * it. A stack without a resolvable handle refuses to start: there is no silent plaintext default.
 * The plaintext mode exists only as the explicit {@link
 * ChannelSecurity#insecurePlaintextForTests()}.
 */
public class FleetTCP extends TCP {
  private static final Logger LOG = LoggerFactory.getLogger(FleetTCP.class);
  private static final Map<String, ChannelSecurity> REGISTRY = new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  @Property(
      name = "fleet_security",
      description = "handle of the node's ChannelSecurity (registered by JGroupsStacks)",
      exposeAsManagedAttribute = false)
  protected String fleet_security;

  private volatile boolean encrypted;

  /** Registers {@code s} for one channel build; returns its handle. */
  static String register(ChannelSecurity s) {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    String handle = HexFormat.of().formatHex(b);
    REGISTRY.put(handle, s);
    return handle;
  }

  /** Forgets a handle (idempotent). */
  static void release(String handle) {
    if (handle != null) REGISTRY.remove(handle);
  }

  /** True when this transport runs TLS (false only in the explicit plaintext test mode). */
  public boolean encrypted() {
    return encrypted;
  }

  @Override
  public void init() throws Exception {
    ChannelSecurity s = fleet_security == null ? null : REGISTRY.get(fleet_security);
    if (s == null)
      throw new IllegalStateException(
          "quorum channel has no ChannelSecurity (fleet_security handle missing or released): "
              + "refusing to run unauthenticated");
    if (s.plaintextDevelopmentOnly()) {
      LOG.warn(
          "quorum channel on {}:{} runs in PLAINTEXT (development/test mode): unauthenticated and unencrypted",
          bind_addr,
          bind_port);
      encrypted = false;
    } else {
      tls.enabled(true)
          .setSSLContext(ChannelTls.context(s))
          .setProtocols(new String[] {ChannelTls.PROTOCOL})
          .setClientAuth(TLSClientAuth.NEED);
      encrypted = true;
    }
    super.init();
  }
}
