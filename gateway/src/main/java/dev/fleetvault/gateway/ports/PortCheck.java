package dev.fleetvault.gateway.ports;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.gateway.config.HostPort;
import dev.fleetvault.gateway.config.MemberSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks, before a node starts anything, that every port its member entry names can be bound:
 * {@code client}, {@code peer}, {@code raft}, {@code cluster} and {@code admin}. A taken port fails
 * start-up at once with a message naming the port, what it is for, and the process that holds it
 * where Linux says ({@link PortOwners}), instead of the quorum retrying its join forever. Port 0
 * (any free port) is not checked. The check binds and releases each port, so a process that takes
 * the port between the check and the real bind is still caught there, by the listener's own error.
 */
public final class PortCheck {
  private PortCheck() {}

  /** The member's listeners by configuration key, in start order (admin only if configured). */
  public static Map<String, HostPort> listeners(MemberSpec m) {
    Map<String, HostPort> out = new LinkedHashMap<>();
    out.put("raft", m.raft());
    out.put("cluster", m.cluster());
    out.put("peer", m.peer());
    out.put("client", m.client());
    m.adminAddress().ifPresent(a -> out.put("admin", a));
    return out;
  }

  /** Throws {@link ConfigException} naming every port of {@code m} that cannot be bound. */
  public static void requireFree(MemberSpec m, String source) {
    List<String> taken = new ArrayList<>();
    for (Map.Entry<String, HostPort> e : listeners(m).entrySet()) {
      HostPort hp = e.getValue();
      if (hp.port() == 0) {
        continue;
      }
      Optional<String> problem = tryBind(hp);
      problem.ifPresent(
          p ->
              taken.add(
                  "fleet.members["
                      + m.id()
                      + "]."
                      + e.getKey()
                      + " "
                      + hp
                      + ": "
                      + p
                      + PortOwners.describe(hp.port())
                          .map(o -> " (held by " + o + ")")
                          .orElse("")));
    }
    if (!taken.isEmpty()) {
      throw new ConfigException(
          source
              + ": member "
              + m.id()
              + " cannot start: "
              + String.join("; ", taken)
              + ". Stop what holds the port, or give the member another port in "
              + source);
    }
  }

  /** Empty if {@code hp} can be bound now, else why not. */
  static Optional<String> tryBind(HostPort hp) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(hp.host(), hp.port()));
      return Optional.empty();
    } catch (IOException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Optional.of(
          msg.toLowerCase(java.util.Locale.ROOT).contains("in use")
              ? "port already in use"
              : "cannot bind (" + msg + ")");
    }
  }
}
