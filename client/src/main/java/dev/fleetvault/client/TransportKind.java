package dev.fleetvault.client;

/** How the SDK talks to an edge. Both carry the same protobuf messages. */
public enum TransportKind {
  /** gRPC over HTTP/2 (vertx-grpc-client). */
  GRPC,
  /** Binary protobuf frames over a WebSocket at {@code /v1/ws}. */
  WEBSOCKET
}
