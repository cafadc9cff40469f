package dev.fleetvault.gateway.edge;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.FleetvaultException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * WebSocket framing of {@code /v1/ws}, version 1. A binary frame is one protobuf message:
 * <pre>
 * message WsRequest  { uint32 frame_version = 1; uint64 id = 2; string method = 3;
 *                      string token = 4; bytes body = 5; }   // body: serialized &lt;Method&gt;Request
 * message WsResponse { uint32 frame_version = 1; uint64 id = 2; string method = 3;
 *                      bytes body = 4; WsError error = 5; }  // exactly one of body / error
 * message WsError    { string code = 1; string status = 2; string message = 3; }
 * </pre>
 * A text frame is the JSON form: {@code {"v":1,"id":7,"method":"Recover1","token":"...",
 * "body":{...proto3 JSON of the request...}}}, answered by {@code {"v":1,"id":7,
 * "method":"Recover1","body":{...}}} or {@code {"v":1,"id":7,"method":"Recover1",
 * "error":{"code":"...","status":"...","message":"..."}}}. Unknown fields are refused.
 */
public final class WsFrames {
  /** The only frame version. */
  public static final int VERSION = 1;

  /** A decoded request frame. */
  public record Request(int frameVersion, long id, String method, String token, byte[] body) {}

  private WsFrames() {}

  /** Decodes a binary request frame; BAD_REQUEST on anything malformed or unknown. */
  public static Request decode(byte[] frame) {
    int version = 0;
    long id = 0;
    String method = "";
    String token = "";
    byte[] body = new byte[0];
    try {
      CodedInputStream in = CodedInputStream.newInstance(frame);
      in.setSizeLimit(frame.length);
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        switch (tag) {
          case (1 << 3) | WireFormat.WIRETYPE_VARINT: version = in.readUInt32(); break;
          case (2 << 3) | WireFormat.WIRETYPE_VARINT: id = in.readUInt64(); break;
          case (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: method = in.readStringRequireUtf8(); break;
          case (4 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: token = in.readStringRequireUtf8(); break;
          case (5 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: body = in.readByteArray(); break;
          default:
            throw new FleetvaultException(ErrorCode.BAD_REQUEST,
                "unknown field in WebSocket frame (field " + (tag >>> 3) + ")");
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new FleetvaultException(ErrorCode.BAD_REQUEST, "WebSocket frame could not be decoded");
    } catch (IOException e) {
      throw new FleetvaultException(ErrorCode.BAD_REQUEST, "WebSocket frame could not be decoded");
    }
    return new Request(version, id, method, token, body);
  }

  /** Encodes a binary answer frame with a body. */
  public static byte[] encodeBody(long id, String method, ByteString body) {
    return encode(id, method, body, null);
  }

  /** Encodes a binary error frame. */
  public static byte[] encodeError(long id, String method, JsonObject error) {
    return encode(id, method, null, error);
  }

  private static byte[] encode(long id, String method, ByteString body, JsonObject error) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeUInt32(1, VERSION);
      out.writeUInt64(2, id);
      if (method != null && !method.isEmpty()) {
        out.writeString(3, method);
      }
      if (body != null) {
        out.writeBytes(4, body);
      }
      if (error != null) {
        ByteArrayOutputStream eb = new ByteArrayOutputStream();
        CodedOutputStream e = CodedOutputStream.newInstance(eb);
        e.writeString(1, error.getString("code"));
        e.writeString(2, error.getString("status"));
        e.writeString(3, error.getString("message"));
        e.flush();
        out.writeBytes(5, ByteString.copyFrom(eb.toByteArray()));
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
