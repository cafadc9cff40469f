package dev.fleetvault.gateway;

import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.gateway.config.NodeSpec;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every node of a multi-node configuration file (e.g. {@code config/local.yaml}) started in this
 * JVM, each on its own Vert.x instance with its own HSM driver and quorum participant, as if in
 * separate data centers. Used by {@code fleetvault up} and by tests. DEVELOPMENT ONLY: refused
 * unless the file says {@code development: true}.
 */
@SuppressWarnings("try") // close() waits for the nodes and may be interrupted
public final class LocalFleet implements AutoCloseable {
  /** A client edge of the fleet. */
  public record Edge(String memberId, String host, int port) {
    /** {@code host:port}. */
    public String hostPort() {
      return host + ":" + port;
    }
  }

  private final NodeConfig config;
  private final Map<String, FleetvaultNode> nodes = new LinkedHashMap<>();
  private dev.fleetvault.gateway.edge.BundleSource bundles;

  private LocalFleet(NodeConfig config) {
    this.config = config;
  }

  /** Loads {@code configPath} and starts all its nodes; blocks until all are up. */
  public static LocalFleet start(Path configPath) throws Exception {
    return start(NodeConfig.load(configPath));
  }

  /** Starts all nodes of {@code config}; blocks until all are up (or stops them and throws). */
  public static LocalFleet start(NodeConfig config) throws Exception {
    if (!config.development()) {
      throw new dev.fleetvault.config.yaml.ConfigException(
          config.source()
              + ": the in-JVM "
              + "local fleet is for development only (development: true); a production fleet runs "
              + "one node per data center (fleetvault node)");
    }
    LocalFleet fleet = new LocalFleet(config);
    List<Future<FleetvaultNode>> starts = new ArrayList<>();
    for (NodeSpec n : config.nodes()) {
      starts.add(FleetvaultNode.start(config, n.member()));
    }
    try {
      Future.join(starts).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      for (Future<FleetvaultNode> f : starts) {
        if (f.succeeded()) {
          f.result().close();
        }
      }
      Throwable cause =
          e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
              ? e.getCause()
              : e;
      throw new IllegalStateException("local fleet failed to start: " + cause.getMessage(), cause);
    }
    for (Future<FleetvaultNode> f : starts) {
      fleet.nodes.put(f.result().memberId(), f.result());
    }
    return fleet;
  }

  /** The configuration. */
  public NodeConfig config() {
    return config;
  }

  /** The client edges of the running nodes, in member order. */
  public synchronized List<Edge> edges() {
    List<Edge> out = new ArrayList<>();
    for (FleetvaultNode n : nodes.values()) {
      out.add(new Edge(n.memberId(), n.clientAddress().host(), n.clientAddress().port()));
    }
    return out;
  }

  /** The running node of {@code memberId}, or null. */
  public synchronized FleetvaultNode node(String memberId) {
    return nodes.get(memberId);
  }

  /** Stops one node (a data center going down); its data stays. */
  public void stopNode(String memberId) throws Exception {
    FleetvaultNode n;
    synchronized (this) {
      n = nodes.remove(memberId);
    }
    if (n != null) {
      n.close();
    }
  }

  /** Starts a stopped node again on its existing data. */
  public void startNode(String memberId) throws Exception {
    FleetvaultNode n = FleetvaultNode.startBlocking(config, memberId);
    synchronized (this) {
      nodes.put(memberId, n);
      if (bundles != null) {
        n.bundleSource(bundles);
      }
    }
  }

  /**
   * Every node (also nodes started later) serves its validation bundle from {@code source} (e.g. a
   * {@link dev.fleetvault.gateway.edge.SignerBundleSource} of the local signer).
   */
  public synchronized void serveBundles(dev.fleetvault.gateway.edge.BundleSource source) {
    bundles = source;
    for (FleetvaultNode n : nodes.values()) {
      n.bundleSource(source);
    }
  }

  /**
   * Fleet rotation, member side: every running node generates a new HPKE key in its HSM ({@link
   * FleetvaultNode#rotateHpkeKey()}); returns the new public keys by member id. The caller then
   * publishes the new epoch's bundle (the members' directory entries are updated).
   */
  public Map<String, byte[]> rotateHpkeKeys() throws Exception {
    List<FleetvaultNode> all;
    synchronized (this) {
      all = new ArrayList<>(nodes.values());
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (FleetvaultNode n : all) {
      out.put(n.memberId(), n.rotateHpkeKey());
    }
    return out;
  }

  /** Stops every node. */
  @Override
  public void close() throws Exception {
    List<FleetvaultNode> all;
    synchronized (this) {
      all = new ArrayList<>(nodes.values());
      nodes.clear();
    }
    List<Future<Void>> stops = new ArrayList<>();
    for (FleetvaultNode n : all) {
      stops.add(n.stop());
    }
    Future.join(stops).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
