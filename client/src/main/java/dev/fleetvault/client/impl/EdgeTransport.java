package dev.fleetvault.client.impl;

import com.google.protobuf.Message;
import dev.fleetvault.client.Edge;
import io.vertx.core.Future;

/**
 * Sends one Vault request to one edge with the app's token and returns its response, strictly
 * decoded ({@link dev.fleetvault.protocol.wire.WireCodec}). Failures are {@link
 * EdgeCallException}s.
 */
public interface EdgeTransport {
  /** Calls {@code method} on {@code edge}. The future fails with {@link EdgeCallException}. */
  <Q extends Message, A extends Message> Future<A> call(
      Edge edge, VaultMethod<Q, A> method, Q request, String token);

  /** Closes every connection. */
  Future<Void> close();
}
