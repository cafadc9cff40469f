package dev.fleetvault.gateway.edge;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.Errors;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.http.NodeMetrics;
import dev.fleetvault.protocol.wire.StatusRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code /v1/ws} transport: the {@code Vault} methods as binary protobuf frames or their
 * JSON form ({@link WsFrames}), answered on the same connection, matched by {@code id}, possibly
 * out of order. Every bad frame gets an error frame and leaves the connection open; a
 * connection with more than {@link #MAX_IN_FLIGHT} unanswered requests gets
 * {@code rate_limited} answers.
 */
public final class WebSocketEdge {
  /** Unanswered requests allowed per connection. */
  public static final int MAX_IN_FLIGHT = 32;
  private final EdgeService edge;
  private final StatusSource status;
  private final NodeMetrics metrics;
  private final int maxMessageBytes;

  /**
   * @param edge the edge role; @param status status source; @param metrics meters;
   * @param maxMessageBytes largest frame accepted (larger gets {@code too_large})
   */
  public WebSocketEdge(EdgeService edge, StatusSource status, NodeMetrics metrics,
      int maxMessageBytes) {
    this.edge = edge;
    this.status = status;
    this.metrics = metrics;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Serves one accepted connection. */
  public void serve(ServerWebSocket ws) {
    AtomicInteger inFlight = new AtomicInteger();
    String remote = ws.remoteAddress() == null ? "?" : ws.remoteAddress().hostAddress();
    ws.binaryMessageHandler(buf -> onBinary(ws, remote, inFlight, buf));
    ws.textMessageHandler(text -> onText(ws, remote, inFlight, text));
    ws.exceptionHandler(err -> { });
  }

  private void onBinary(ServerWebSocket ws, String remote, AtomicInteger inFlight, Buffer buf) {
    long start = System.nanoTime();
    WsFrames.Request req;
    try {
      if (buf.length() > maxMessageBytes) {
        throw new FleetvaultException(ErrorCode.TOO_LARGE, "frame larger than the node accepts");
      }
      req = WsFrames.decode(buf.getBytes());
    } catch (FleetvaultException e) {
      reply(ws, false, 0, "", null, e, start, "?");
      return;
    }
    dispatch(ws, remote, inFlight, false, req, start);
  }

  private void onText(ServerWebSocket ws, String remote, AtomicInteger inFlight, String text) {
    long start = System.nanoTime();
    WsFrames.Request req;
    try {
      if (text.length() > maxMessageBytes * 2L) {
        throw new FleetvaultException(ErrorCode.TOO_LARGE, "frame larger than the node accepts");
      }
      JsonObject json = new JsonObject(text);
      for (String k : json.fieldNames()) {
        if (!k.equals("v") && !k.equals("id") && !k.equals("method") && !k.equals("token")
            && !k.equals("body")) {
          throw new FleetvaultException(ErrorCode.BAD_REQUEST, "unknown field in JSON frame");
        }
      }
      Object body = json.getValue("body");
      req = new WsFrames.Request(json.getInteger("v", 0), json.getLong("id", 0L),
          json.getString("method", ""), json.getString("token", ""),
          body == null ? new byte[0] : ((JsonObject) body).encode()
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (FleetvaultException e) {
      reply(ws, true, 0, "", null, e, start, "?");
      return;
    } catch (DecodeException | ClassCastException e) {
      reply(ws, true, 0, "", null, new FleetvaultException(ErrorCode.BAD_REQUEST,
          "JSON frame could not be decoded"), start, "?");
      return;
    }
    dispatch(ws, remote, inFlight, true, req, start);
  }

  private void dispatch(ServerWebSocket ws, String remote, AtomicInteger inFlight, boolean json,
      WsFrames.Request req, long start) {
    String method = req.method();
    Future<Message> result;
    try {
      if (req.frameVersion() != WsFrames.VERSION) {
        throw new FleetvaultException(ErrorCode.UNSUPPORTED_VERSION,
            "this node speaks WebSocket frame version 1");
      }
      if (inFlight.get() >= MAX_IN_FLIGHT) {
        throw new FleetvaultException(ErrorCode.RATE_LIMITED,
            "too many unanswered requests on this connection");
      }
      edge.admitAddress(remote);
      if ("Status".equals(method)) {
        StatusRequest sr = (StatusRequest) parse(StatusRequest.newBuilder(), req.body(), json);
        if (sr.getVersion() != 1 || sr.getSuite() != 1) {
          throw new FleetvaultException(ErrorCode.UNSUPPORTED_VERSION,
              "this node speaks version 1, suite 1");
        }
        result = status.status(sr.getKnownBundleEpoch(), sr.getKnownTreeSize()).map(m -> (Message) m);
      } else {
        VaultMethod m = VaultMethod.byName(method);
        if (m == null) {
          throw new FleetvaultException(ErrorCode.UNKNOWN_METHOD, "unknown method");
        }
        Message.Builder builder = ((Message) m.parser().parsePartialFrom(new byte[0]))
            .newBuilderForType();
        result = edge.handle(m, parse(builder, req.body(), json), req.token());
      }
    } catch (FleetvaultException e) {
      reply(ws, json, req.id(), method, null, e, start, method);
      return;
    } catch (InvalidProtocolBufferException e) {
      reply(ws, json, req.id(), method, null, new FleetvaultException(ErrorCode.BAD_REQUEST,
          "body could not be decoded"), start, method);
      return;
    }
    inFlight.incrementAndGet();
    result.onComplete(ar -> {
      inFlight.decrementAndGet();
      reply(ws, json, req.id(), method, ar.succeeded() ? ar.result() : null,
          ar.succeeded() ? null : ar.cause(), start, method);
    });
  }

  private static Message parse(Message.Builder builder, byte[] body, boolean json)
      throws InvalidProtocolBufferException {
    if (json) {
      JsonFormat.parser().merge(new String(body, java.nio.charset.StandardCharsets.UTF_8),
          builder);
      return builder.build();
    }
    return builder.mergeFrom(body).build();
  }

  private void reply(ServerWebSocket ws, boolean json, long id, String method, Message body,
      Throwable error, long start, String metricMethod) {
    if (ws.isClosed()) {
      return;
    }
    String outcome = "ok";
    if (json) {
      JsonObject out = new JsonObject().put("v", WsFrames.VERSION).put("id", id)
          .put("method", method);
      if (error == null) {
        try {
          out.put("body", new JsonObject(JsonFormat.printer().omittingInsignificantWhitespace()
              .print(body)));
        } catch (InvalidProtocolBufferException e) {
          error = e;
        }
      }
      if (error != null) {
        JsonObject e = Errors.wsError(error);
        outcome = e.getString("code");
        out.remove("body");
        out.put("error", e);
      }
      ws.writeTextMessage(out.encode());
    } else if (error == null) {
      ws.writeBinaryMessage(Buffer.buffer(WsFrames.encodeBody(id, method, body.toByteString())));
    } else {
      JsonObject e = Errors.wsError(error);
      outcome = e.getString("code");
      ws.writeBinaryMessage(Buffer.buffer(WsFrames.encodeError(id, method, e)));
    }
    metrics.request("ws", VaultMethod.byName(metricMethod) == null
        && !"Status".equals(metricMethod) ? "unknown" : metricMethod, outcome, start);
  }
}
