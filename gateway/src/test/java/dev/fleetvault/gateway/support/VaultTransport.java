package dev.fleetvault.gateway.support;

import com.google.protobuf.Message;

/** One way for a test to call an edge: gRPC or WebSocket (binary or JSON frames). */
public interface VaultTransport extends AutoCloseable {
  /** Calls {@code method} (e.g. "Recover1") and waits for the answer. */
  <R extends Message> Reply<R> call(String method, Message request, String token, R prototype)
      throws Exception;

  /** A name for test output. */
  String name();

  @Override
  void close();
}
