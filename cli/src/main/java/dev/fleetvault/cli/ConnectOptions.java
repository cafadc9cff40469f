package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.HomePaths;
import dev.fleetvault.client.Edge;
import dev.fleetvault.client.TransportKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options shared by the commands that talk to a fleet (picocli mixin). */
public final class ConnectOptions {
  @Option(
      names = "--edge",
      paramLabel = "HOST:PORT",
      split = ",",
      description =
          "Edge(s) to use, preferred first; the client moves on when one is down. "
              + "Default: the members' client addresses from --config (127.0.0.1:7401, 7402, 7403 for the local fleet).")
  List<String> edges = new ArrayList<>();

  @Option(
      names = "--transport",
      paramLabel = "grpc|websocket",
      defaultValue = "grpc",
      converter = TransportConverter.class,
      description = "How to talk to the edge: grpc or websocket. Default: ${DEFAULT-VALUE}.")
  TransportKind transport = TransportKind.GRPC;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = "config/local.yaml",
      description =
          "Fleet configuration: the members, the app, and where the fleet directory with the "
              + "members' public keys is. Default: ${DEFAULT-VALUE}.")
  Path config = Path.of("config/local.yaml");

  @Option(
      names = "--data-root",
      paramLabel = "DIR",
      description =
          "Overrides the configuration's data_root (where the fleet directory and the trust file are); "
              + "give the one 'up --data-root' was given. Default: $FLEETVAULT_DATA_ROOT if set, else data_root.")
  Path dataRoot;

  @Option(
      names = "--app-key",
      paramLabel = "FILE",
      description =
          "The app's P-256 private key (PKCS#8 PEM) used to mint tokens. "
              + "Default: dev-app-jwt.DEVELOPMENT-ONLY.key.pem next to --config (development only).")
  Path appKey;

  @Option(
      names = "--app-id",
      paramLabel = "ID",
      description = "The app id (token issuer). Default: the first app in --config.")
  String appId;

  @Option(
      names = "--pin-params",
      paramLabel = "ID",
      defaultValue = "argon2id-v1-default",
      description =
          "Argon2id parameter set that stretches the PIN of a new registration (recover reads it from "
              + "the fleet). Default: ${DEFAULT-VALUE}.")
  String pinParams = "argon2id-v1-default";

  @Option(
      names = "--trust",
      paramLabel = "FILE",
      description =
          "Pinned signer and operator keys (trust file JSON): take the fleet's keys from the validation "
              + "bundle the edge sends, verified against these. Default: <data_root>/fleet/trust.json (written by 'up').")
  Path trust;

  @Option(
      names = "--dev-fleet-keys",
      description =
          "DEVELOPMENT/TESTS ONLY: seal to the member keys in the development fleet directory "
              + "(<data_root>/fleet/members), verifying no bundle.")
  boolean devFleetKeys;

  /**
   * True when the command seals to the development fleet directory instead of a verified bundle.
   */
  public boolean devFleetKeys() {
    return devFleetKeys;
  }

  @Option(
      names = "--bundle-state",
      paramLabel = "FILE",
      description =
          "Where the last verified bundle state is kept (with --trust). Default: <data_root>/client/bundle-state.json.")
  Path bundleState;

  /** The trust file, or null. */
  public Path trust() {
    return trust;
  }

  /** The bundle state file, or null for the default. */
  public Path bundleState() {
    return bundleState;
  }

  /** The edges given with {@code --edge}, parsed; empty when none were given. */
  public List<Edge> explicitEdges() {
    List<Edge> out = new ArrayList<>(edges.size());
    for (String s : edges) {
      try {
        out.add(Edge.parse(s.trim()));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--edge: " + e.getMessage());
      }
    }
    return out;
  }

  /** The transport. */
  public TransportKind transport() {
    return transport;
  }

  /** The configuration file. */
  public Path config() {
    return HomePaths.resolve(config);
  }

  /** The data root override ({@code --data-root}, else {@code FLEETVAULT_DATA_ROOT}), or null. */
  public Path dataRoot() {
    return dev.fleetvault.cli.impl.DataRoots.choose(dataRoot);
  }

  /** The app key file, or null for the development default. */
  public Path appKey() {
    return appKey;
  }

  /** The app id, or null for the configuration's first app. */
  public String appId() {
    return appId;
  }

  /** The Argon2id parameter set id. */
  public String pinParams() {
    return pinParams;
  }

  /**
   * Checks {@code --pin-params} names a known parameter set.
   *
   * @throws CliException {@link ExitCodes#USAGE} otherwise, naming the known ids
   */
  public void checkPinParams() {
    try {
      dev.fleetvault.protocol.pin.Argon2idParameters.forId(pinParams);
    } catch (IllegalArgumentException e) {
      StringBuilder known = new StringBuilder();
      for (dev.fleetvault.protocol.pin.Argon2idParameters p :
          dev.fleetvault.protocol.pin.Argon2idParameters.values()) {
        known.append(known.length() == 0 ? "" : ", ").append(p.id());
      }
      throw new CliException(
          ExitCodes.USAGE, "--pin-params " + pinParams + " is unknown; known: " + known);
    }
  }

  /** Accepts grpc, websocket and ws, in any case. */
  static final class TransportConverter implements ITypeConverter<TransportKind> {
    @Override
    public TransportKind convert(String value) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "grpc":
          return TransportKind.GRPC;
        case "websocket":
        case "ws":
          return TransportKind.WEBSOCKET;
        default:
          throw new TypeConversionException(
              "'" + value + "' is not a transport; use grpc or websocket");
      }
    }
  }
}
