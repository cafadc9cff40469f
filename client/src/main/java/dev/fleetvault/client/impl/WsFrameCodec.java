package dev.fleetvault.client.impl;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Client side of the {@code /v1/ws} binary framing, version 1 (the gateway's {@code WsFrames}):
 * <pre>
 * message WsRequest  { uint32 frame_version = 1; uint64 id = 2; string method = 3; string token = 4; bytes body = 5; }
 * message WsResponse { uint32 frame_version = 1; uint64 id = 2; string method = 3; bytes body = 4; WsError error = 5; }
 * message WsError    { string code = 1; string status = 2; string message = 3; }
 * </pre>
 */
final class WsFrameCodec {
    static final int VERSION = 1;
    /** Largest answer frame accepted. */
    static final int MAX_FRAME = 1 << 20;

    /** A decoded answer: exactly one of {@code body} / {@code errorCode} is set. */
    record Response(long id, String method, byte[] body, String errorCode, String errorMessage) {
    }

    private WsFrameCodec() {
    }

    static byte[] encodeRequest(long id, String method, String token, byte[] body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 64 + (token == null ? 0 : token.length()));
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeUInt32(1, VERSION);
            out.writeUInt64(2, id);
            out.writeString(3, method);
            if (token != null) {
                out.writeString(4, token);
            }
            out.writeBytes(5, ByteString.copyFrom(body));
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes an answer frame; throws {@link IOException} on anything malformed or unknown. */
    static Response decodeResponse(byte[] frame) throws IOException {
        if (frame.length > MAX_FRAME) {
            throw new IOException("answer frame too large");
        }
        CodedInputStream in = CodedInputStream.newInstance(frame);
        int version = 0;
        long id = 0;
        String method = "";
        byte[] body = null;
        byte[] error = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case (1 << 3) | WireFormat.WIRETYPE_VARINT -> version = in.readUInt32();
                case (2 << 3) | WireFormat.WIRETYPE_VARINT -> id = in.readUInt64();
                case (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> method = in.readStringRequireUtf8();
                case (4 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> body = in.readByteArray();
                case (5 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> error = in.readByteArray();
                default -> throw new IOException("unknown field " + (tag >>> 3) + " in answer frame");
            }
        }
        if (version != VERSION) {
            throw new IOException("answer frame version " + version + ", expected " + VERSION);
        }
        if (error != null) {
            String code = "";
            String message = "";
            CodedInputStream e = CodedInputStream.newInstance(error);
            for (int tag = e.readTag(); tag != 0; tag = e.readTag()) {
                switch (tag) {
                    case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> code = e.readStringRequireUtf8();
                    case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> e.readStringRequireUtf8();
                    case (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> message = e.readStringRequireUtf8();
                    default -> throw new IOException("unknown field " + (tag >>> 3) + " in error");
                }
            }
            return new Response(id, method, null, code.isEmpty() ? "internal" : code, message);
        }
        return new Response(id, method, body == null ? new byte[0] : body, null, null);
    }
}
