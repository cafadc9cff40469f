package dev.fleetvault.client.impl;

import com.google.protobuf.Message;
import dev.fleetvault.client.Edge;
import dev.fleetvault.protocol.wire.ErrorCodes;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireFormatException;
import dev.fleetvault.protocol.wire.WireLimits;
import dev.fleetvault.protocol.wire.WireVersion;
import dev.fleetvault.protocol.wire.WsRequest;
import dev.fleetvault.protocol.wire.WsResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Vault calls over one WebSocket per edge at {@code /v1/ws} (PROTOCOL.md section 4.2): one binary
 * frame per ws.proto {@code WsRequest} / {@code WsResponse}, multiplexed by request id; frames are
 * built and read by the generated classes and checked by {@link WireCodec}. A connection that
 * closes fails its pending calls as {@link EdgeCallException.Kind#LOST} and is reopened on the next
 * call.
 */
public final class WsEdgeTransport implements EdgeTransport {
  /** The WebSocket path on every edge. */
  public static final String PATH = "/v1/ws";

  /** Unanswered requests an edge allows per connection; further calls wait their turn here. */
  static final int MAX_IN_FLIGHT = 32;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final long timeoutMillis;
  private final Map<Edge, Future<Connection>> connections = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  /**
   * @param vertx the Vert.x instance
   * @param requestTimeout deadline of one call
   * @param connectTimeout connect timeout
   */
  public WsEdgeTransport(Vertx vertx, Duration requestTimeout, Duration connectTimeout) {
    this.vertx = vertx;
    this.timeoutMillis = requestTimeout.toMillis();
    this.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setMaxFrameSize(WireLimits.MAX_WS_RESPONSE)
                .setMaxMessageSize(WireLimits.MAX_WS_RESPONSE));
  }

  @Override
  public <Q extends Message, A extends Message> Future<A> call(
      Edge edge, VaultMethod<Q, A> method, Q request, String token) {
    Promise<A> result = Promise.promise();
    connection(edge)
        .onFailure(
            e ->
                result.tryFail(
                    new EdgeCallException(
                        edge,
                        EdgeCallException.Kind.UNREACHABLE,
                        "unreachable",
                        "cannot open the WebSocket (" + e.getClass().getSimpleName() + ")")))
        .onSuccess(
            conn ->
                conn.send(method.name(), token, request.toByteArray())
                    .onComplete(
                        ar -> {
                          if (ar.failed()) {
                            result.tryFail(ar.cause());
                            return;
                          }
                          WsResponse r = ar.result();
                          if (r.hasError()) {
                            result.tryFail(refusal(edge, method.name(), r));
                            return;
                          }
                          try {
                            result.tryComplete(
                                WireCodec.decode(method.responseType(), r.getBody().toByteArray()));
                          } catch (WireFormatException e) {
                            result.tryFail(
                                new EdgeCallException(
                                    edge,
                                    EdgeCallException.Kind.REFUSED,
                                    "bad_response",
                                    method.name()
                                        + " answer failed the wire checks: "
                                        + e.getMessage()));
                          }
                        }));
    return result.future();
  }

  /** The binary frame of one request (ws.proto {@code WsRequest}, PROTOCOL.md 4.2). */
  static byte[] requestFrame(long id, String method, String token, byte[] body) {
    return WireCodec.encode(
        WsRequest.newBuilder()
            .setFrameVersion(WireVersion.FRAME_VERSION_1)
            .setId(id)
            .setMethod(method)
            .setToken(token == null ? "" : token)
            .setBody(com.google.protobuf.ByteString.copyFrom(body))
            .build());
  }

  /**
   * What an error answer means to the caller: the node's code, by its wire name (PROTOCOL.md 16).
   */
  static EdgeCallException refusal(Edge edge, String method, WsResponse r) {
    String code = ErrorCodes.wireName(r.getError().getCode());
    String msg = r.getError().getMessage();
    return new EdgeCallException(
        edge,
        EdgeCallException.Kind.REFUSED,
        code,
        method + " refused: " + code + (msg.isEmpty() ? "" : " (" + msg + ")"));
  }

  private Future<Connection> connection(Edge edge) {
    Future<Connection> f =
        connections.compute(
            edge,
            (e, existing) -> {
              if (existing != null
                  && !(existing.failed() || (existing.succeeded() && existing.result().closed))) {
                return existing;
              }
              WebSocketConnectOptions options =
                  new WebSocketConnectOptions().setHost(e.host()).setPort(e.port()).setURI(PATH);
              return client.connect(options).map(ws -> new Connection(e, ws));
            });
    f.onFailure(err -> connections.remove(edge, f));
    return f;
  }

  @Override
  public Future<Void> close() {
    connections.values().forEach(f -> f.onSuccess(c -> c.ws.close()));
    connections.clear();
    return client.close();
  }

  /** One open WebSocket and its calls in flight. */
  private final class Connection {
    private final Edge edge;
    private final WebSocket ws;
    private final Map<Long, Promise<WsResponse>> pending = new ConcurrentHashMap<>();
    private final java.util.ArrayDeque<Runnable> waiting = new java.util.ArrayDeque<>();
    private int inFlight;
    private volatile boolean closed;

    Connection(Edge edge, WebSocket ws) {
      this.edge = edge;
      this.ws = ws;
      ws.binaryMessageHandler(this::onFrame);
      ws.exceptionHandler(
          err -> failAll("WebSocket error (" + err.getClass().getSimpleName() + ")"));
      ws.closeHandler(v -> failAll("WebSocket closed"));
    }

    /** Sends now if fewer than {@link #MAX_IN_FLIGHT} are unanswered, else when one completes. */
    Future<WsResponse> send(String method, String token, byte[] body) {
      Promise<WsResponse> result = Promise.promise();
      Runnable go =
          () ->
              sendNow(method, token, body)
                  .onComplete(
                      ar -> {
                        Runnable next;
                        synchronized (waiting) {
                          inFlight--;
                          next = waiting.poll();
                          if (next != null) {
                            inFlight++;
                          }
                        }
                        if (next != null) {
                          next.run();
                        }
                        result.handle(ar);
                      });
      boolean now;
      synchronized (waiting) {
        now = inFlight < MAX_IN_FLIGHT;
        if (now) {
          inFlight++;
        } else {
          waiting.add(go);
        }
      }
      if (now) {
        go.run();
      }
      return result.future();
    }

    private Future<WsResponse> sendNow(String method, String token, byte[] body) {
      long id = ids.incrementAndGet();
      Promise<WsResponse> p = Promise.promise();
      pending.put(id, p);
      long timer =
          vertx.setTimer(
              timeoutMillis,
              t -> {
                Promise<WsResponse> gone = pending.remove(id);
                if (gone != null) {
                  gone.tryFail(
                      new EdgeCallException(
                          edge, EdgeCallException.Kind.LOST, "lost", method + " timed out"));
                }
              });
      if (closed) {
        pending.remove(id);
        vertx.cancelTimer(timer);
        return Future.failedFuture(
            new EdgeCallException(
                edge, EdgeCallException.Kind.UNREACHABLE, "unreachable", "WebSocket closed"));
      }
      ws.writeBinaryMessage(Buffer.buffer(requestFrame(id, method, token, body)))
          .onFailure(
              e -> {
                Promise<WsResponse> gone = pending.remove(id);
                if (gone != null) {
                  gone.tryFail(
                      new EdgeCallException(
                          edge,
                          EdgeCallException.Kind.LOST,
                          "lost",
                          method + " could not be sent (" + e.getClass().getSimpleName() + ")"));
                }
              });
      return p.future().andThen(ar -> vertx.cancelTimer(timer));
    }

    private void onFrame(Buffer frame) {
      WsResponse r;
      try {
        r = WireCodec.decode(WsResponse.class, frame.getBytes());
      } catch (WireFormatException e) {
        // A frame we cannot attribute to a call: the connection is no longer trustworthy.
        failAll("malformed answer frame (" + e.getMessage() + ")");
        ws.close();
        return;
      }
      Promise<WsResponse> p = pending.remove(r.getId());
      if (p != null) {
        p.tryComplete(r);
      }
    }

    private void failAll(String why) {
      closed = true;
      connections.computeIfPresent(edge, (e, f) -> f.succeeded() && f.result() == this ? null : f);
      for (Long id : pending.keySet()) {
        Promise<WsResponse> p = pending.remove(id);
        if (p != null) {
          p.tryFail(new EdgeCallException(edge, EdgeCallException.Kind.LOST, "lost", why));
        }
      }
    }
  }
}
