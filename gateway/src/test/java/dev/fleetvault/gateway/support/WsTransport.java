package dev.fleetvault.gateway.support;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.fleetvault.protocol.wire.ErrorCodes;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WsRequest;
import dev.fleetvault.protocol.wire.WsResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw WebSocket client of {@code /v1/ws} (no SDK): binary frames built and read only with the
 * classes generated from ws.proto, as PROTOCOL.md section 4.2 describes.
 */
public final class WsTransport implements VaultTransport {
  private final WebSocketClient client;
  private final WebSocket ws;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<WsResponse>> pending = new ConcurrentHashMap<>();

  /** Answers that could not be matched to a request (id 0 errors). */
  public final java.util.concurrent.BlockingQueue<WsResponse> unmatched =
      new java.util.concurrent.LinkedBlockingQueue<>();

  /** Connects to ws://host:port/v1/ws. */
  public WsTransport(Vertx vertx, String host, int port) throws Exception {
    this.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    this.ws =
        client
            .connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/v1/ws"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    ws.binaryMessageHandler(buf -> deliver(WireCodec.decode(WsResponse.class, buf.getBytes())));
    ws.textMessageHandler(text -> unmatched.add(WsResponse.getDefaultInstance()));
  }

  /** The socket, for raw frames in bad-input tests. */
  public WebSocket socket() {
    return ws;
  }

  private void deliver(WsResponse frame) {
    CompletableFuture<WsResponse> f = pending.remove(frame.getId());
    if (f != null) {
      f.complete(frame);
    } else {
      unmatched.add(frame);
    }
  }

  /** A request frame. */
  public static WsRequest frame(int version, long id, String method, String token, byte[] body) {
    return WsRequest.newBuilder()
        .setFrameVersion(version)
        .setId(id)
        .setMethod(method)
        .setToken(token == null ? "" : token)
        .setBody(ByteString.copyFrom(body))
        .build();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R extends Message> Reply<R> call(
      String method, Message request, String token, R prototype) throws Exception {
    long id = ids.incrementAndGet();
    CompletableFuture<WsResponse> f = new CompletableFuture<>();
    pending.put(id, f);
    ws.writeBinaryMessage(
        Buffer.buffer(frame(1, id, method, token, request.toByteArray()).toByteArray()));
    WsResponse answer = f.get(60, TimeUnit.SECONDS);
    return reply(answer, prototype);
  }

  /** The Reply view of an answer frame. */
  @SuppressWarnings("unchecked")
  public static <R extends Message> Reply<R> reply(WsResponse answer, R prototype)
      throws Exception {
    if (answer.hasError()) {
      return new Reply<>(
          null,
          ErrorCodes.wireName(answer.getError().getCode()),
          io.vertx.grpc.common.GrpcStatus.valueOf(
                  ErrorCodes.grpcStatus(answer.getError().getCode()))
              .name(),
          answer.getError().getMessage());
    }
    return new Reply<>(
        (R) prototype.getParserForType().parseFrom(answer.getBody()), null, "OK", null);
  }

  /** Sends raw bytes as one binary frame and waits for the next unmatched answer. */
  public WsResponse rawBinary(byte[] frame) throws Exception {
    ws.writeBinaryMessage(Buffer.buffer(frame));
    return nextUnmatched();
  }

  /** Sends raw text as one text frame and waits for the next unmatched answer. */
  public WsResponse rawText(String frame) throws Exception {
    ws.writeTextMessage(frame);
    return nextUnmatched();
  }

  private WsResponse nextUnmatched() throws Exception {
    WsResponse o = unmatched.poll(30, TimeUnit.SECONDS);
    if (o == null) {
      throw new AssertionError("no answer to a raw frame");
    }
    return o;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public void close() {
    ws.close();
    client.close();
  }
}
