package dev.fleetvault.net;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code max} open connections per remote IP address on one listener ({@code
 * limits.max_connections_per_address} in the node's and in the signer's configuration). The one
 * implementation every Fleetvault listener installs: the node's client, peer and admin listeners
 * and the signer's API.
 *
 * <p>Guarantees: a connection beyond the limit is closed as soon as the server sees it (for a TLS
 * listener, once its handshake completed; a connection that never completes one is closed by the
 * handshake timeout); connections already open are untouched; a closed connection frees its place.
 * One instance per listener; thread-safe. The count is kept per address string, so the map holds
 * only addresses with open connections.
 */
public final class ConnectionLimit {
  private final int max;
  private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

  /**
   * @param max connections one remote address may hold open at once (&ge; 1)
   */
  public ConnectionLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max connections per address must be >= 1");
    }
    this.max = max;
  }

  /** Installs the limit as {@code server}'s connection handler; returns {@code server}. */
  public HttpServer guard(HttpServer server) {
    return server.connectionHandler(this::admit);
  }

  /**
   * Counts {@code conn} against its remote address, or closes it if that address is at the limit.
   */
  void admit(HttpConnection conn) {
    String address =
        conn.remoteAddress() == null ? "?" : String.valueOf(conn.remoteAddress().hostAddress());
    boolean[] admitted = new boolean[1];
    open.compute(
        address,
        (k, v) -> {
          AtomicInteger c = v == null ? new AtomicInteger() : v;
          admitted[0] = c.get() < max;
          if (admitted[0]) {
            c.incrementAndGet();
          }
          return c.get() == 0 ? null : c;
        });
    if (!admitted[0]) {
      conn.close();
      return;
    }
    conn.closeHandler(v -> release(address));
  }

  private void release(String address) {
    open.computeIfPresent(address, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
  }

  /** Open connections counted for {@code address} (tests, diagnostics). */
  public int openFrom(String address) {
    AtomicInteger n = open.get(address);
    return n == null ? 0 : n.get();
  }
}
