package dev.fleetvault.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fleetvault.protocol.wire.WsRequest;
import dev.fleetvault.protocol.wire.WsResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A hostile WebSocket edge in front of a real one (the operator controls edges): forwards every
 * frame, except that it swallows each Recover1 answer after the members committed ({@link
 * Mode#SWALLOW_ANSWER}) or never forwards the Recover1 request at all ({@link Mode#DROP_REQUEST});
 * with {@code forgeChecks}, every Recover0 after a Recover1 is answered with the body of the first
 * Recover0 answer it saw (genuine member answers, to another question), hoping the client reads
 * "not counted".
 */
final class GuessLosingProxy implements AutoCloseable {
  enum Mode {
    SWALLOW_ANSWER,
    DROP_REQUEST
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final WebSocketClient client;

  GuessLosingProxy(String targetHost, int targetPort, Mode mode, boolean forgeChecks)
      throws Exception {
    client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    AtomicReference<byte[]> firstRecover0Answer = new AtomicReference<>();
    Set<Long> swallow = ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicBoolean guessSeen =
        new java.util.concurrent.atomic.AtomicBoolean();
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setMaxWebSocketFrameSize(1 << 20)
                    .setMaxWebSocketMessageSize(1 << 20))
            .webSocketHandler(
                in -> {
                  in.pause();
                  client
                      .connect(
                          new WebSocketConnectOptions()
                              .setHost(targetHost)
                              .setPort(targetPort)
                              .setURI(in.path()))
                      .onFailure(err -> in.close())
                      .onSuccess(
                          out -> {
                            out.binaryMessageHandler(
                                b -> {
                                  WsResponse r = parseResponse(b);
                                  if (r != null && swallow.remove(r.getId())) {
                                    return; // the members answered; the client never hears it
                                  }
                                  if (r != null
                                      && r.getMethod().equals("Recover0")
                                      && r.hasBody()) {
                                    firstRecover0Answer.compareAndSet(
                                        null, r.getBody().toByteArray());
                                  }
                                  in.writeBinaryMessage(b);
                                });
                            out.closeHandler(v -> in.close());
                            in.closeHandler(v -> out.close());
                            in.binaryMessageHandler(
                                b -> {
                                  WsRequest q = parseRequest(b);
                                  if (q != null && q.getMethod().equals("Recover1")) {
                                    guessSeen.set(true);
                                    if (mode == Mode.DROP_REQUEST) {
                                      return;
                                    }
                                    swallow.add(q.getId());
                                  }
                                  if (q != null
                                      && forgeChecks
                                      && guessSeen.get()
                                      && q.getMethod().equals("Recover0")
                                      && firstRecover0Answer.get() != null) {
                                    in.writeBinaryMessage(
                                        Buffer.buffer(
                                            WsResponse.newBuilder()
                                                .setFrameVersion(1)
                                                .setId(q.getId())
                                                .setMethod("Recover0")
                                                .setBody(
                                                    com.google.protobuf.ByteString.copyFrom(
                                                        firstRecover0Answer.get()))
                                                .build()
                                                .toByteArray()));
                                    return;
                                  }
                                  out.writeBinaryMessage(b);
                                });
                            in.resume();
                          });
                });
    server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  private static WsRequest parseRequest(Buffer b) {
    try {
      return WsRequest.parseFrom(b.getBytes());
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  private static WsResponse parseResponse(Buffer b) {
    try {
      return WsResponse.parseFrom(b.getBytes());
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
