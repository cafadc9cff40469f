package dev.fleetvault.cli.impl;

import dev.fleetvault.bundles.TrustAnchors;
import dev.fleetvault.bundles.evidence.EvidencePolicy;
import dev.fleetvault.cli.CliException;
import dev.fleetvault.cli.ConnectOptions;
import dev.fleetvault.cli.ExitCodes;
import dev.fleetvault.cli.tokens.DevTokens;
import dev.fleetvault.client.BundleRealmSource;
import dev.fleetvault.client.ClientOptions;
import dev.fleetvault.client.Edge;
import dev.fleetvault.client.FleetvaultClient;
import dev.fleetvault.client.RealmSource;
import dev.fleetvault.gateway.config.MemberSpec;
import dev.fleetvault.gateway.config.NodeConfig;
import dev.fleetvault.protocol.flow.RealmConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a {@link FleetvaultClient} for a CLI command: edges, app token and the fleet's keys all
 * come from the fleet configuration (overridable with options).
 */
public final class ClientFactory {
  /** Name of the development app key next to the configuration. */
  public static final String DEV_APP_KEY = "dev-app-jwt.DEVELOPMENT-ONLY.key.pem";

  /** Lifetime of the tokens the CLI mints. */
  public static final Duration TOKEN_TTL = Duration.ofMinutes(5);

  private ClientFactory() {}

  /** Opens a client; the caller closes it. */
  public static FleetvaultClient open(ConnectOptions options) {
    List<Edge> edges = options.explicitEdges();
    NodeConfig config = loadConfig(options.config(), options.dataRoot());
    if (edges.isEmpty()) {
      edges = new ArrayList<>();
      for (MemberSpec m : config.members()) {
        edges.add(new Edge(m.client().host(), m.client().port()));
      }
    }
    DevTokens tokens = tokens(config, options);
    return FleetvaultClient.create(
        ClientOptions.builder()
            .edges(edges)
            .appId(tokens.appId())
            .transport(options.transport())
            .tokens(tokens)
            .realm(realm(config, options))
            .build());
  }

  private static RealmSource realm(NodeConfig config, ConnectOptions options) {
    Path trustFile = options.trust();
    if (trustFile == null && !options.devFleetKeys()) {
      Path local = trustFile(config);
      if (!Files.isRegularFile(local)) {
        throw new CliException(
            ExitCodes.UNAVAILABLE,
            "no trust file "
                + local
                + ": start the fleet first "
                + "('fleetvault up' writes it; if it was started with 'up --data-root DIR', give the same "
                + "--data-root DIR here, or set "
                + DataRoots.ENV
                + " for both), give one with --trust, or use --dev-fleet-keys to seal to the "
                + "development fleet directory unverified");
      }
      trustFile = local;
    }
    if (trustFile != null) {
      try {
        TrustAnchors trust = TrustAnchors.parse(Files.readAllBytes(trustFile));
        Path state =
            options.bundleState() != null
                ? options.bundleState()
                : config.dataRoot().resolve("client").resolve("bundle-state.json");
        // The local fleet's artifacts carry no evidence digest: its trust file (written by the
        // local
        // signer) says development, and only then does the CLI relax the policy, explicitly.
        EvidencePolicy policy =
            trust.development() ? EvidencePolicy.development() : EvidencePolicy.STRICT;
        return BundleRealmSource.create(
            trust, state, options.pinParams(), Clock.systemUTC(), policy, null);
      } catch (IOException | RuntimeException e) {
        throw new CliException(
            ExitCodes.USAGE, "cannot use the trust file " + trustFile + ": " + e.getMessage());
      }
    }
    try {
      RealmConfig realm = LocalRealm.read(config, options.pinParams());
      return RealmSource.pinned(realm);
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(ExitCodes.UNAVAILABLE, e.getMessage());
    }
  }

  /**
   * The local fleet's trust file: {@code <data root>/fleet/trust.json}, where {@code up} writes it
   * ({@link LocalBundles}) and where the connecting commands read it by default.
   */
  public static Path trustFile(NodeConfig config) {
    return config.fleetDir().resolve(LocalBundles.TRUST_FILE);
  }

  /** Loads the configuration, turning errors into a clear usage failure. */
  public static NodeConfig loadConfig(Path file, Path dataRoot) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(
          ExitCodes.USAGE, "no configuration file " + file + " (give one with --config)");
    }
    try {
      return dataRoot == null ? NodeConfig.load(file) : NodeConfig.load(file, dataRoot);
    } catch (RuntimeException e) {
      throw new CliException(ExitCodes.USAGE, "bad configuration: " + e.getMessage());
    }
  }

  private static DevTokens tokens(NodeConfig config, ConnectOptions options) {
    return tokens(config, options, TOKEN_TTL);
  }

  /**
   * The development token minter of {@code options} (app key file, app id) for {@code config},
   * tokens valid {@code ttl}.
   */
  public static DevTokens tokens(NodeConfig config, ConnectOptions options, Duration ttl) {
    if (config.apps().isEmpty()) {
      throw new CliException(
          ExitCodes.USAGE, config.source() + " lists no apps, so no token can be minted");
    }
    String appId = options.appId() != null ? options.appId() : config.apps().get(0).id();
    Path keyFile =
        options.appKey() != null
            ? options.appKey()
            : config.source().toAbsolutePath().getParent().resolve(DEV_APP_KEY);
    try {
      String audience =
          config.apps().stream()
              .filter(a -> a.id().equals(appId))
              .findFirst()
              .map(a -> a.audience())
              .orElse(config.fleetId());
      return new DevTokens(
          appId, audience, DevTokens.readPrivateKey(keyFile), ttl, Clock.systemUTC());
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.USAGE,
          "cannot read the app key " + keyFile + " (give one with --app-key): " + e.getMessage());
    }
  }
}
