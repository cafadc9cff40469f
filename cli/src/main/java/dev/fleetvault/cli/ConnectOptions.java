package dev.fleetvault.cli;

import dev.fleetvault.client.Edge;
import dev.fleetvault.client.TransportKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the commands that talk to a fleet (picocli mixin). */
public final class ConnectOptions {
    /** The local fleet's edges (config/local.yaml), the first one preferred. */
    static final List<String> LOCAL_EDGES = List.of("127.0.0.1:7401", "127.0.0.1:7402", "127.0.0.1:7403");

    @Option(names = "--edge", paramLabel = "HOST:PORT", split = ",",
        description = "Edge(s) to use, preferred first; the client moves on when one is down. "
            + "Default: 127.0.0.1:7401, then 7402 and 7403 of the local fleet.")
    List<String> edges = new ArrayList<>();

    @Option(names = "--transport", paramLabel = "grpc|websocket", defaultValue = "grpc",
        converter = TransportConverter.class,
        description = "How to talk to the edge: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    TransportKind transport = TransportKind.GRPC;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/local.yaml",
        description = "Fleet configuration that holds the development app key used to mint tokens. "
            + "Default: ${DEFAULT-VALUE}.")
    Path config = Path.of("config/local.yaml");

    /** The edges to use, parsed. */
    public List<Edge> edges() {
        List<String> raw = edges.isEmpty() ? LOCAL_EDGES : edges;
        List<Edge> out = new ArrayList<>(raw.size());
        for (String s : raw) {
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

    /** The configuration file holding the development app key. */
    public Path config() {
        return dev.fleetvault.cli.impl.HomePaths.resolve(config);
    }

    /** Accepts grpc, websocket and ws, in any case. */
    static final class TransportConverter implements picocli.CommandLine.ITypeConverter<TransportKind> {
        @Override
        public TransportKind convert(String value) {
            switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "grpc":
                    return TransportKind.GRPC;
                case "websocket":
                case "ws":
                    return TransportKind.WEBSOCKET;
                default:
                    throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a transport; use grpc or websocket");
            }
        }
    }
}
