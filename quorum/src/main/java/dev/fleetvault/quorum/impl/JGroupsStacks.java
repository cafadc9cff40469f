package dev.fleetvault.quorum.impl;

import dev.fleetvault.quorum.QuorumConfig;
import dev.fleetvault.quorum.QuorumMember;
import org.jgroups.JChannel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds the two JGroups channels of a node from the XML stacks in this package, filling
 * {@code ${name}} placeholders per node (so several nodes can share one JVM). An unfilled
 * placeholder is an error, not a silent default.
 */
final class JGroupsStacks {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

    private JGroupsStacks() { }

    static JChannel raftChannel(QuorumConfig cfg, String logDir, boolean fsync) throws Exception {
        String hosts = cfg.members().stream().map(m -> m.host() + "[" + m.raftPort() + "]").collect(Collectors.joining(","));
        String members = cfg.members().stream().map(QuorumMember::raftId).collect(Collectors.joining(","));
        return channel("raft-tcp.xml", Map.of(
                "bind_addr", cfg.bindAddress(),
                "port", Integer.toString(cfg.self().raftPort()),
                "initial_hosts", hosts,
                "members", members,
                "raft_id", cfg.self().raftId(),
                "log_dir", logDir,
                "fsync", Boolean.toString(fsync),
                "max_log_size", Long.toString(cfg.snapshotLogBytes())));
    }

    /** The record-store stack as XML (Infinispan builds its channel from it). */
    static String clusterStackXml(QuorumConfig cfg) throws IOException {
        String hosts = cfg.members().stream().map(m -> m.host() + "[" + m.clusterPort() + "]").collect(Collectors.joining(","));
        return fill("cluster-tcp.xml", Map.of(
                "bind_addr", cfg.bindAddress(),
                "port", Integer.toString(cfg.self().clusterPort()),
                "initial_hosts", hosts));
    }

    private static JChannel channel(String resource, Map<String, String> values) throws Exception {
        return new JChannel(new ByteArrayInputStream(fill(resource, values).getBytes(StandardCharsets.UTF_8)));
    }

    private static String fill(String resource, Map<String, String> values) throws IOException {
        String xml;
        try (InputStream in = JGroupsStacks.class.getResourceAsStream("/dev/fleetvault/quorum/" + resource)) {
            if (in == null) throw new IOException("JGroups stack resource " + resource + " missing from the classpath");
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = PLACEHOLDER.matcher(xml);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) throw new IllegalStateException("no value for ${" + m.group(1) + "} in " + resource);
            m.appendReplacement(sb, Matcher.quoteReplacement(xmlEscape(v)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
