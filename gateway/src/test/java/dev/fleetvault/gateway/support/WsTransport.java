package dev.fleetvault.gateway.support;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw WebSocket client of {@code /v1/ws} (no SDK): binary protobuf frames or JSON text
 * frames, written by hand from the documented framing.
 */
public final class WsTransport implements VaultTransport {
  private final WebSocketClient client;
  private final WebSocket ws;
  private final boolean json;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
  /** Frames that could not be matched to a request (id 0 errors). */
  public final java.util.concurrent.BlockingQueue<Object> unmatched =
      new java.util.concurrent.LinkedBlockingQueue<>();

  /** Connects to ws://host:port/v1/ws. */
  public WsTransport(Vertx vertx, String host, int port, boolean json) throws Exception {
    this.json = json;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    this.ws = client.connect(new WebSocketConnectOptions().setHost(host).setPort(port)
        .setURI("/v1/ws")).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    ws.binaryMessageHandler(buf -> deliver(decodeBinary(buf.getBytes())));
    ws.textMessageHandler(text -> deliver(new JsonObject(text)));
  }

  /** The socket, for raw frames in bad-input tests. */
  public WebSocket socket() {
    return ws;
  }

  private void deliver(Object frame) {
    long id = frame instanceof JsonObject j ? j.getLong("id", 0L) : ((Object[]) frame).length > 0
        ? (Long) ((Object[]) frame)[0] : 0L;
    CompletableFuture<Object> f = pending.remove(id);
    if (f != null) {
      f.complete(frame);
    } else {
      unmatched.add(frame);
    }
  }

  /** Decodes a binary WsResponse into {id, method, body bytes|null, code, status, message}. */
  public static Object[] decodeBinary(byte[] bytes) {
    Object[] out = new Object[] {0L, "", null, null, null, null};
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag >>> 3) {
          case 1: in.readUInt32(); break;
          case 2: out[0] = in.readUInt64(); break;
          case 3: out[1] = in.readString(); break;
          case 4: out[2] = in.readByteArray(); break;
          case 5:
            CodedInputStream e = CodedInputStream.newInstance(in.readByteArray());
            int t;
            while ((t = e.readTag()) != 0) {
              out[2 + (t >>> 3)] = e.readString();
            }
            break;
          default: in.skipField(tag);
        }
      }
    } catch (java.io.IOException e) {
      throw new AssertionError("node sent an undecodable frame", e);
    }
    return out;
  }

  /** Encodes a binary WsRequest. */
  public static byte[] encodeBinary(int version, long id, String method, String token,
      byte[] body) {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(b);
      out.writeUInt32(1, version);
      out.writeUInt64(2, id);
      out.writeString(3, method);
      if (token != null) {
        out.writeString(4, token);
      }
      out.writeByteArray(5, body);
      out.flush();
      return b.toByteArray();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R extends Message> Reply<R> call(String method, Message request, String token,
      R prototype) throws Exception {
    long id = ids.incrementAndGet();
    CompletableFuture<Object> f = new CompletableFuture<>();
    pending.put(id, f);
    if (json) {
      JsonObject frame = new JsonObject().put("v", 1).put("id", id).put("method", method)
          .put("body", new JsonObject(JsonFormat.printer().print(request)));
      if (token != null) {
        frame.put("token", token);
      }
      ws.writeTextMessage(frame.encode());
    } else {
      ws.writeBinaryMessage(Buffer.buffer(encodeBinary(1, id, method, token,
          request.toByteArray())));
    }
    Object answer = f.get(60, TimeUnit.SECONDS);
    if (answer instanceof JsonObject j) {
      if (j.containsKey("error")) {
        JsonObject e = j.getJsonObject("error");
        return new Reply<>(null, e.getString("code"), e.getString("status"),
            e.getString("message"));
      }
      Message.Builder b = prototype.newBuilderForType();
      JsonFormat.parser().merge(j.getJsonObject("body").encode(), b);
      return new Reply<>((R) b.build(), null, "OK", null);
    }
    Object[] a = (Object[]) answer;
    if (a[2] != null) {
      return new Reply<>((R) prototype.getParserForType().parseFrom((byte[]) a[2]), null, "OK",
          null);
    }
    return new Reply<>(null, (String) a[3], (String) a[4], (String) a[5]);
  }

  /** Sends raw bytes as one binary frame and waits for the next unmatched answer. */
  public Object[] rawBinary(byte[] frame) throws Exception {
    ws.writeBinaryMessage(Buffer.buffer(frame));
    Object o = unmatched.poll(30, TimeUnit.SECONDS);
    if (o == null) {
      throw new AssertionError("no answer to a raw frame");
    }
    return (Object[]) o;
  }

  /** Sends raw text as one text frame and waits for the next unmatched answer. */
  public JsonObject rawText(String frame) throws Exception {
    ws.writeTextMessage(frame);
    Object o = unmatched.poll(30, TimeUnit.SECONDS);
    if (o == null) {
      throw new AssertionError("no answer to a raw frame");
    }
    return (JsonObject) o;
  }

  @Override
  public String name() {
    return json ? "websocket-json" : "websocket";
  }

  @Override
  public void close() {
    ws.close();
    client.close();
  }
}
