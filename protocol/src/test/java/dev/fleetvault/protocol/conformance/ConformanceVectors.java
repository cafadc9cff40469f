package dev.fleetvault.protocol.conformance;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.protobuf.UnknownFieldSet;
import dev.fleetvault.protocol.wire.*;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the conformance vectors of {@code resources/conformance/vectors.txt} from fixed labelled
 * inputs, with the generated classes only (README.md there gives the format). The sealed fields
 * ({@code enc}, {@code ciphertext}, {@code nonce}, the bundle) carry labelled filler, not real
 * envelopes: these vectors pin the framing around the cryptography, which the worked example
 * (PROTOCOL.md section 14) pins.
 */
final class ConformanceVectors {
  /** One line of the file. */
  record Line(String kind, String name, String type, byte[] bytes, String expect, String text) {
    String render() {
      StringBuilder b = new StringBuilder();
      if (text != null && !text.isEmpty()) {
        b.append("# ").append(text).append('\n');
      }
      b.append(kind)
          .append(' ')
          .append(name)
          .append(' ')
          .append(type)
          .append(' ')
          .append(bytes.length == 0 ? "-" : HexFormat.of().formatHex(bytes));
      if (expect != null) {
        b.append(' ').append(expect);
      }
      return b.append('\n').toString();
    }
  }

  static final byte[] USER = "jos\u00e9".getBytes(StandardCharsets.UTF_8);

  /** An opaque token: framing does not look inside it. */
  static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJkZXYtYXBwIn0.conformance";

  static final String[] METHODS = {
    "Register1", "Register2", "Recover0", "Recover1", "Recover2", "Delete"
  };

  /** Plausible ciphertext lengths per method (payload + 16-byte tag). */
  static final int[] CT = {16, 1300, 16, 88, 88, 16};

  static final int[] ANSWER_CT = {20, 20, 1200, 120, 200, 18};

  private ConformanceVectors() {}

  /**
   * {@code n} bytes: SHA-256("fleetvault conformance " || label || I2OSP(i, 4)) for i = 0, 1, ...
   */
  static byte[] filler(String label, int n) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; out.size() < n; i++) {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(("fleetvault conformance " + label).getBytes(StandardCharsets.US_ASCII));
        d.update(new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
        out.writeBytes(d.digest());
      }
      return java.util.Arrays.copyOf(out.toByteArray(), n);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static ByteString f(String label, int n) {
    return ByteString.copyFrom(filler(label, n));
  }

  static SealedRequest sealed(String method, int member, int ct) {
    byte[] enc = filler(method + " enc " + member, 65);
    enc[0] = 0x04;
    return SealedRequest.newBuilder()
        .setMember(member)
        .setEnc(ByteString.copyFrom(enc))
        .setCiphertext(f(method + " ciphertext " + member, ct))
        .build();
  }

  static List<MemberResult> results(String method, int ct) {
    List<MemberResult> out = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      out.add(
          MemberResult.newBuilder()
              .setMember(i)
              .setAnswer(
                  SealedAnswer.newBuilder()
                      .setMember(i)
                      .setNonce(f(method + " answer nonce " + i, 12))
                      .setCiphertext(f(method + " answer ciphertext " + i, ct)))
              .build());
    }
    out.add(
        MemberResult.newBuilder()
            .setMember(3)
            .setUnavailable(
                MemberUnavailable.newBuilder()
                    .setReason(ErrorCodes.wireName(ErrorCode.ERROR_CODE_TIMEOUT)))
            .build());
    return out;
  }

  /** The request of {@code method} (index into {@link #METHODS}). */
  static Message request(int m) {
    String method = METHODS[m];
    List<SealedRequest> reqs = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      reqs.add(sealed(method, i, CT[m]));
    }
    ByteString user = ByteString.copyFrom(USER);
    switch (method) {
      case "Register1":
        return Register1Request.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setUserId(user)
            .addAllRequests(reqs)
            .setKnownBundleEpoch(2)
            .setKnownTreeSize(5)
            .build();
      case "Register2":
        return Register2Request.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setUserId(user)
            .addAllRequests(reqs)
            .setKnownBundleEpoch(2)
            .setKnownTreeSize(5)
            .build();
      case "Recover0":
        return Recover0Request.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setUserId(user)
            .addAllRequests(reqs)
            .setKnownBundleEpoch(2)
            .setKnownTreeSize(5)
            .build();
      case "Recover1":
        return Recover1Request.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setUserId(user)
            .addAllRequests(reqs)
            .setKnownBundleEpoch(2)
            .setKnownTreeSize(5)
            .build();
      case "Recover2":
        return Recover2Request.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setUserId(user)
            .addAllRequests(reqs)
            .setKnownBundleEpoch(2)
            .setKnownTreeSize(5)
            .build();
      default:
        return DeleteRequest.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setUserId(user)
            .addAllRequests(reqs)
            .setKnownBundleEpoch(2)
            .setKnownTreeSize(5)
            .build();
    }
  }

  /**
   * The response of {@code method}: members 1 and 2 answered, member 3 timed out, no bundle (client
   * current).
   */
  static Message response(int m) {
    String method = METHODS[m];
    List<MemberResult> r = results(method, ANSWER_CT[m]);
    switch (method) {
      case "Register1":
        return Register1Response.newBuilder().setVersion(1).setSuite(1).addAllResults(r).build();
      case "Register2":
        return Register2Response.newBuilder().setVersion(1).setSuite(1).addAllResults(r).build();
      case "Recover0":
        return Recover0Response.newBuilder().setVersion(1).setSuite(1).addAllResults(r).build();
      case "Recover1":
        return Recover1Response.newBuilder().setVersion(1).setSuite(1).addAllResults(r).build();
      case "Recover2":
        return Recover2Response.newBuilder().setVersion(1).setSuite(1).addAllResults(r).build();
      default:
        return DeleteResponse.newBuilder().setVersion(1).setSuite(1).addAllResults(r).build();
    }
  }

  static String text(Message m) {
    return TextFormat.printer().emittingSingleLine(true).printToString(m).strip();
  }

  private static Line golden(String name, Message m) {
    return new Line(
        "golden", name, m.getDescriptorForType().getName(), m.toByteArray(), null, text(m));
  }

  private static Line reject(String name, String type, byte[] bytes, ErrorCode code, String why) {
    return new Line("reject", name, type, bytes, ErrorCodes.wireName(code), why);
  }

  /** Every line of vectors.txt, in order. */
  static List<Line> all() {
    List<Line> out = new ArrayList<>();
    // ---- the methods, as gRPC messages and as WebSocket frames
    for (int m = 0; m < METHODS.length; m++) {
      String method = METHODS[m];
      Message q = request(m);
      Message a = response(m);
      out.add(golden(method.toLowerCase() + ".request", q));
      out.add(golden(method.toLowerCase() + ".response", a));
      byte[] framed = new byte[5 + q.getSerializedSize()];
      int n = q.getSerializedSize();
      framed[1] = (byte) (n >>> 24);
      framed[2] = (byte) (n >>> 16);
      framed[3] = (byte) (n >>> 8);
      framed[4] = (byte) n;
      System.arraycopy(q.toByteArray(), 0, framed, 5, n);
      out.add(
          new Line(
              "grpc-frame",
              method.toLowerCase() + ".request",
              method + "Request",
              framed,
              null,
              "gRPC length-prefixed message: 0x00 (not compressed) || uint32 length || message"));
      out.add(
          golden(
              method.toLowerCase() + ".ws-request",
              WsRequest.newBuilder()
                  .setFrameVersion(1)
                  .setId(m + 1)
                  .setMethod(method)
                  .setToken(TOKEN)
                  .setBody(q.toByteString())
                  .build()));
      out.add(
          golden(
              method.toLowerCase() + ".ws-response",
              WsResponse.newBuilder()
                  .setFrameVersion(1)
                  .setId(m + 1)
                  .setMethod(method)
                  .setBody(a.toByteString())
                  .build()));
    }
    StatusRequest sq =
        StatusRequest.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setKnownBundleEpoch(2)
            .setKnownTreeSize(5)
            .build();
    StatusResponse sa =
        StatusResponse.newBuilder()
            .setVersion(1)
            .setSuite(1)
            .setFleetId("local")
            .setMembers(3)
            .setThreshold(2)
            .addReachableMembers(1)
            .addReachableMembers(2)
            .addReachableMembers(3)
            .setMajorityReachable(true)
            .setLeader(1)
            .setValidationBundle(f("status bundle", 48))
            .build();
    out.add(golden("status.request", sq));
    out.add(golden("status.response", sa));
    out.add(
        golden(
            "status.ws-request",
            WsRequest.newBuilder()
                .setFrameVersion(1)
                .setId(7)
                .setMethod("Status")
                .setBody(sq.toByteString())
                .build()));
    out.add(
        golden(
            "status.ws-response",
            WsResponse.newBuilder()
                .setFrameVersion(1)
                .setId(7)
                .setMethod("Status")
                .setBody(sa.toByteString())
                .build()));
    // ---- every error, as a WebSocket error frame; the gRPC form is the "error" lines below
    for (ErrorCode c : ErrorCodes.sent()) {
      String name = ErrorCodes.wireName(c);
      out.add(
          golden(
              "error." + name + ".ws-response",
              WsResponse.newBuilder()
                  .setFrameVersion(1)
                  .setId(100 + c.getNumber())
                  .setMethod("Recover1")
                  .setError(WsError.newBuilder().setCode(c).setMessage("example: " + name))
                  .build()));
      out.add(
          new Line(
              "error",
              name,
              "ErrorCode",
              new byte[0],
              c.getNumber() + " " + ErrorCodes.grpcStatus(c),
              "trailer fleetvault-error: "
                  + name
                  + " with gRPC status "
                  + ErrorCodes.grpcStatus(c)));
    }
    out.add(
        golden(
            "error.undecodable-frame.ws-response",
            WsResponse.newBuilder()
                .setFrameVersion(1)
                .setError(
                    WsError.newBuilder()
                        .setCode(ErrorCode.ERROR_CODE_BAD_REQUEST)
                        .setMessage("WebSocket frame could not be decoded"))
                .build()));
    // ---- what a decoder must refuse, and the code an edge answers with
    out.add(
        reject(
            "status.version-2",
            "StatusRequest",
            sq.toBuilder().setVersion(2).build().toByteArray(),
            ErrorCode.ERROR_CODE_UNSUPPORTED_VERSION,
            "version 2"));
    out.add(
        reject(
            "status.suite-2",
            "StatusRequest",
            sq.toBuilder().setSuite(2).build().toByteArray(),
            ErrorCode.ERROR_CODE_UNSUPPORTED_VERSION,
            "suite 2"));
    Recover1Request r1 = (Recover1Request) request(3);
    out.add(
        reject(
            "recover1.unknown-field",
            "Recover1Request",
            r1.toBuilder()
                .setUnknownFields(
                    UnknownFieldSet.newBuilder()
                        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                        .build())
                .build()
                .toByteArray(),
            ErrorCode.ERROR_CODE_BAD_REQUEST,
            "field 99 is not in version 1"));
    out.add(
        reject(
            "recover1.user-id-129-bytes",
            "Recover1Request",
            r1.toBuilder()
                .setUserId(ByteString.copyFrom(filler("long user", 129)))
                .build()
                .toByteArray(),
            ErrorCode.ERROR_CODE_BAD_REQUEST,
            "user_id of 129 bytes"));
    out.add(
        reject(
            "recover1.empty-user-id",
            "Recover1Request",
            r1.toBuilder().setUserId(ByteString.EMPTY).build().toByteArray(),
            ErrorCode.ERROR_CODE_BAD_REQUEST,
            "empty user_id"));
    out.add(
        reject(
            "recover1.enc-64-bytes",
            "Recover1Request",
            r1.toBuilder()
                .setRequests(0, r1.getRequests(0).toBuilder().setEnc(f("short enc", 64)))
                .build()
                .toByteArray(),
            ErrorCode.ERROR_CODE_BAD_REQUEST,
            "enc of 64 bytes"));
    out.add(
        reject(
            "recover1.duplicate-member",
            "Recover1Request",
            r1.toBuilder()
                .setRequests(1, r1.getRequests(1).toBuilder().setMember(1))
                .build()
                .toByteArray(),
            ErrorCode.ERROR_CODE_BAD_REQUEST,
            "two envelopes for member 1"));
    byte[] r1b = r1.toByteArray();
    out.add(
        reject(
            "recover1.truncated",
            "Recover1Request",
            java.util.Arrays.copyOf(r1b, r1b.length - 1),
            ErrorCode.ERROR_CODE_BAD_REQUEST,
            "last byte cut"));
    WsRequest ws =
        WsRequest.newBuilder()
            .setFrameVersion(1)
            .setId(9)
            .setMethod("Status")
            .setBody(sq.toByteString())
            .build();
    out.add(
        reject(
            "ws-request.frame-version-2",
            "WsRequest",
            ws.toBuilder().setFrameVersion(2).build().toByteArray(),
            ErrorCode.ERROR_CODE_UNSUPPORTED_VERSION,
            "frame_version 2"));
    out.add(
        reject(
            "ws-request.unknown-field",
            "WsRequest",
            ws.toBuilder()
                .setUnknownFields(
                    UnknownFieldSet.newBuilder()
                        .addField(
                            9,
                            UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFromUtf8("json"))
                                .build())
                        .build())
                .build()
                .toByteArray(),
            ErrorCode.ERROR_CODE_BAD_REQUEST,
            "field 9 is not in version 1"));
    byte[] wsb = ws.toByteArray();
    out.add(
        reject(
            "ws-request.truncated",
            "WsRequest",
            java.util.Arrays.copyOf(wsb, wsb.length - 2),
            ErrorCode.ERROR_CODE_BAD_REQUEST,
            "last two bytes cut"));
    out.add(
        reject(
            "ws-response.no-outcome",
            "WsResponse",
            WsResponse.newBuilder()
                .setFrameVersion(1)
                .setId(9)
                .setMethod("Status")
                .build()
                .toByteArray(),
            ErrorCode.ERROR_CODE_BAD_REQUEST,
            "neither body nor error"));
    return out;
  }

  static String render() {
    StringBuilder b = new StringBuilder();
    b.append(
        "# Fleetvault protocol version 1 conformance vectors. Format: README.md in this directory.\n");
    b.append("# Generated by ConformanceTest from fixed labelled inputs; do not edit by hand.\n");
    for (Line l : all()) {
      b.append(l.render());
    }
    return b.toString();
  }
}
