package dev.fleetvault.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link FleetvaultClient}. Immutable; build with {@link #builder()}.
 *
 * @param edges the edges to use, the preferred one first; the SDK moves to the next when one is
 *     down
 * @param appId the app's id: the {@code iss} of its tokens, bound into every envelope and attempt
 *     id (1..64 characters of {@code [A-Za-z0-9._-]})
 * @param transport gRPC or WebSocket
 * @param tokens supplies the app's token per user
 * @param realm where the fleet's keys come from (a verified bundle, or pinned keys)
 * @param requestTimeout how long one request to one edge may take before that edge counts as down
 * @param connectTimeout how long opening a connection to an edge may take
 */
public record ClientOptions(
    List<Edge> edges,
    String appId,
    TransportKind transport,
    TokenSupplier tokens,
    RealmSource realm,
    Duration requestTimeout,
    Duration connectTimeout) {

  /**
   * Default per-request timeout: generous, since a recovery waits for Raft commits and HSM calls.
   */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);

  /** Default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

  /** Checks the fields. */
  public ClientOptions {
    edges = List.copyOf(edges);
    if (edges.isEmpty()) {
      throw new IllegalArgumentException("at least one edge is required");
    }
    Objects.requireNonNull(appId, "appId (the app id, the iss of the app's tokens) is required");
    dev.fleetvault.protocol.flow.LedgerKeys.requireAppId(appId);
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(realm, "realm");
    requirePositive(requestTimeout, "requestTimeout");
    requirePositive(connectTimeout, "connectTimeout");
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  /** A builder with gRPC and the default timeouts. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ClientOptions}. */
  public static final class Builder {
    private List<Edge> edges = List.of();
    private String appId;
    private TransportKind transport = TransportKind.GRPC;
    private TokenSupplier tokens;
    private RealmSource realm;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

    private Builder() {}

    /** The edges, preferred first. */
    public Builder edges(List<Edge> edges) {
      this.edges = List.copyOf(edges);
      return this;
    }

    /** The app id (the {@code iss} of the app's tokens); required. */
    public Builder appId(String appId) {
      this.appId = appId;
      return this;
    }

    /** The transport. */
    public Builder transport(TransportKind transport) {
      this.transport = transport;
      return this;
    }

    /** The token supplier. */
    public Builder tokens(TokenSupplier tokens) {
      this.tokens = tokens;
      return this;
    }

    /** Where the fleet's keys come from. */
    public Builder realm(RealmSource realm) {
      this.realm = realm;
      return this;
    }

    /** Per-request timeout. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** Connect timeout. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Validates and builds. */
    public ClientOptions build() {
      return new ClientOptions(
          edges, appId, transport, tokens, realm, requestTimeout, connectTimeout);
    }
  }
}
