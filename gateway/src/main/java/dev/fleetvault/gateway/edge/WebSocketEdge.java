package dev.fleetvault.gateway.edge;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.Errors;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.http.NodeMetrics;
import dev.fleetvault.protocol.wire.StatusRequest;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireFormatException;
import dev.fleetvault.protocol.wire.WireLimits;
import dev.fleetvault.protocol.wire.WireVersion;
import dev.fleetvault.protocol.wire.WsRequest;
import dev.fleetvault.protocol.wire.WsResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code /v1/ws} transport (PROTOCOL.md section 4.2): the {@code Vault} methods as binary
 * frames, each one ws.proto {@code WsRequest}, answered on the same connection by one {@code
 * WsResponse} per request, matched by {@code id}, possibly out of order. Frames are encoded and
 * decoded only by the generated classes and checked by {@link WireCodec}. Text frames are not part
 * of the protocol: each gets a {@code bad_request} answer. Every bad frame gets an error answer (id
 * 0 when the frame could not be decoded) and leaves the connection open; a connection with more
 * than {@link #MAX_IN_FLIGHT} unanswered requests gets {@code rate_limited} answers.
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
   * @param maxMessageBytes largest request body accepted (larger gets {@code too_large})
   */
  public WebSocketEdge(
      EdgeService edge, StatusSource status, NodeMetrics metrics, int maxMessageBytes) {
    this.edge = edge;
    this.status = status;
    this.metrics = metrics;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Serves one accepted connection. */
  public void serve(ServerWebSocket ws) {
    AtomicInteger inFlight = new AtomicInteger();
    String remote = ws.remoteAddress() == null ? "?" : ws.remoteAddress().hostAddress();
    ws.binaryMessageHandler(
        buf -> {
          String requestId = RequestIds.next();
          RequestIds.run(requestId, () -> onBinary(ws, remote, inFlight, buf, requestId));
        });
    ws.textMessageHandler(
        text ->
            reply(
                ws,
                0,
                "",
                null,
                new FleetvaultException(
                    ErrorCode.BAD_REQUEST,
                    "text frames are not supported: send ws.proto WsRequest in a binary frame"),
                System.nanoTime(),
                "?"));
    ws.exceptionHandler(err -> {});
  }

  private void onBinary(
      ServerWebSocket ws, String remote, AtomicInteger inFlight, Buffer buf, String requestId) {
    long start = System.nanoTime();
    WsRequest req;
    try {
      if (buf.length() > maxMessageBytes + WireLimits.MAX_TOKEN + 64) {
        throw new FleetvaultException(ErrorCode.TOO_LARGE, "frame larger than the node accepts");
      }
      req = WsRequest.parseFrom(buf.getBytes());
    } catch (FleetvaultException e) {
      reply(ws, 0, "", null, e, start, "?");
      return;
    } catch (InvalidProtocolBufferException e) {
      reply(
          ws,
          0,
          "",
          null,
          new FleetvaultException(ErrorCode.BAD_REQUEST, "WebSocket frame could not be decoded"),
          start,
          "?");
      return;
    }
    dispatch(ws, remote, inFlight, req, start, requestId);
  }

  private void dispatch(
      ServerWebSocket ws,
      String remote,
      AtomicInteger inFlight,
      WsRequest req,
      long start,
      String requestId) {
    String method = req.getMethod();
    Future<Message> result;
    try {
      WireCodec.check(req);
      if (req.getBody().size() > maxMessageBytes) {
        throw new FleetvaultException(ErrorCode.TOO_LARGE, "body larger than the node accepts");
      }
      if (inFlight.get() >= MAX_IN_FLIGHT) {
        throw new FleetvaultException(
            ErrorCode.RATE_LIMITED, "too many unanswered requests on this connection");
      }
      edge.admitAddress(remote);
      if ("Status".equals(method)) {
        StatusRequest sr = WireCodec.decode(StatusRequest.class, req.getBody().toByteArray());
        result =
            status.status(sr.getKnownBundleEpoch(), sr.getKnownTreeSize()).map(m -> (Message) m);
      } else {
        VaultMethod m = VaultMethod.byName(method);
        if (m == null) {
          throw new FleetvaultException(ErrorCode.UNKNOWN_METHOD, "unknown method");
        }
        result = edge.handle(m, m.parser().parseFrom(req.getBody()), req.getToken());
      }
    } catch (FleetvaultException e) {
      reply(ws, req.getId(), method, null, e, start, method);
      return;
    } catch (WireFormatException e) {
      reply(ws, req.getId(), method, null, Errors.wire(e), start, method);
      return;
    } catch (InvalidProtocolBufferException e) {
      reply(
          ws,
          req.getId(),
          method,
          null,
          new FleetvaultException(ErrorCode.BAD_REQUEST, "body could not be decoded"),
          start,
          method);
      return;
    }
    inFlight.incrementAndGet();
    result.onComplete(
        RequestIds.wrap(
            requestId,
            ar -> {
              inFlight.decrementAndGet();
              reply(
                  ws,
                  req.getId(),
                  method,
                  ar.succeeded() ? ar.result() : null,
                  ar.succeeded() ? null : ar.cause(),
                  start,
                  method);
            }));
  }

  private void reply(
      ServerWebSocket ws,
      long id,
      String method,
      Message body,
      Throwable error,
      long start,
      String metricMethod) {
    if (ws.isClosed()) {
      return;
    }
    String outcome = "ok";
    String echoed = method.length() > WireLimits.MAX_WS_METHOD ? "" : method;
    WsResponse.Builder out =
        WsResponse.newBuilder()
            .setFrameVersion(WireVersion.FRAME_VERSION_1)
            .setId(id)
            .setMethod(echoed);
    if (error == null) {
      out.setBody(body.toByteString());
    } else {
      FleetvaultException e = Errors.classify(error);
      out.setError(Errors.wsError(e));
      outcome = e.code().wire();
    }
    ws.writeBinaryMessage(Buffer.buffer(out.build().toByteArray()));
    metrics.request(
        "ws",
        VaultMethod.byName(metricMethod) == null && !"Status".equals(metricMethod)
            ? "unknown"
            : metricMethod,
        outcome,
        start);
  }
}
