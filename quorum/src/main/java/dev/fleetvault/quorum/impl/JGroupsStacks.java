package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.ChannelSecurity;
import dev.fleetvault.quorum.QuorumConfig;
import dev.fleetvault.quorum.QuorumMember;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jgroups.JChannel;

/**
 * Builds the two JGroups channels of a node from the XML stacks in this package, filling {@code
 * ${name}} placeholders per node (so several nodes can share one JVM). An unfilled placeholder is
 * an error, not a silent default.
 */
final class JGroupsStacks {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

  private JGroupsStacks() {}

  static JChannel raftChannel(QuorumConfig cfg, String logDir, boolean fsync) throws Exception {
    String handle = FleetTCP.register(security(cfg));
    try {
      return raftChannel(cfg, logDir, fsync, handle);
    } finally {
      FleetTCP.release(handle); // resolved by FleetTCP.init() inside the JChannel constructor
    }
  }

  private static JChannel raftChannel(QuorumConfig cfg, String logDir, boolean fsync, String handle)
      throws Exception {
    String hosts =
        cfg.members().stream()
            .map(m -> m.host() + "[" + m.raftPort() + "]")
            .collect(Collectors.joining(","));
    String members =
        cfg.members().stream().map(QuorumMember::raftId).collect(Collectors.joining(","));
    return channel(
        "raft-tcp.xml",
        Map.of(
            "bind_addr", cfg.bindAddress(),
            "port", Integer.toString(cfg.self().raftPort()),
            "initial_hosts", hosts,
            "members", members,
            "raft_id", cfg.self().raftId(),
            "log_dir", logDir,
            "fsync", Boolean.toString(fsync),
            "max_log_size", Long.toString(cfg.snapshotLogBytes()),
            "security", handle));
  }

  /**
   * The record-store stack as XML (Infinispan builds its channel from it) with this node's security
   * registered under a one-use handle: close the result once Infinispan has started (or failed).
   */
  static ClusterStack clusterStack(QuorumConfig cfg) throws IOException {
    String hosts =
        cfg.members().stream()
            .map(m -> m.host() + "[" + m.clusterPort() + "]")
            .collect(Collectors.joining(","));
    String handle = FleetTCP.register(security(cfg));
    try {
      return new ClusterStack(
          fill(
              "cluster-tcp.xml",
              Map.of(
                  "bind_addr",
                  cfg.bindAddress(),
                  "port",
                  Integer.toString(cfg.self().clusterPort()),
                  "initial_hosts",
                  hosts,
                  "security",
                  handle)),
          handle);
    } catch (IOException | RuntimeException e) {
      FleetTCP.release(handle);
      throw e;
    }
  }

  /** A filled record-store stack; {@link #close()} releases its security handle. */
  record ClusterStack(String xml, String handle) implements AutoCloseable {
    @Override
    public void close() {
      FleetTCP.release(handle);
    }

    @Override
    public String toString() {
      return "ClusterStack[" + xml.length() + " chars]";
    }
  }

  private static ChannelSecurity security(QuorumConfig cfg) {
    ChannelSecurity s = cfg.channelSecurity();
    if (s == null)
      throw new IllegalStateException(
          "m"
              + cfg.memberId()
              + ": no ChannelSecurity configured (member TLS certificate, key and "
              + "trust anchors); the quorum channels never run unauthenticated by default");
    return s;
  }

  private static JChannel channel(String resource, Map<String, String> values) throws Exception {
    return new JChannel(
        new ByteArrayInputStream(fill(resource, values).getBytes(StandardCharsets.UTF_8)));
  }

  private static String fill(String resource, Map<String, String> values) throws IOException {
    String xml;
    try (InputStream in =
        JGroupsStacks.class.getResourceAsStream("/dev/fleetvault/quorum/" + resource)) {
      if (in == null)
        throw new IOException("JGroups stack resource " + resource + " missing from the classpath");
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = PLACEHOLDER.matcher(xml);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null)
        throw new IllegalStateException("no value for ${" + m.group(1) + "} in " + resource);
      m.appendReplacement(sb, Matcher.quoteReplacement(xmlEscape(v)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;")
        .replace("\"", "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;");
  }
}
