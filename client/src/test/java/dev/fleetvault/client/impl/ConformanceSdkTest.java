package dev.fleetvault.client.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.client.Edge;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WsRequest;
import dev.fleetvault.protocol.wire.WsResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SDK against the conformance vectors (protocol/src/test/resources/conformance): the frames its
 * WebSocket transport sends are the golden bytes, it reads every golden answer and error frame to
 * the documented code, and its gRPC error mapping is the documented one.
 */
class ConformanceSdkTest {
  private static final Edge EDGE = new Edge("127.0.0.1", 1);

  static Map<String, String[]> vectors() throws Exception {
    Path p = Path.of("..", "protocol", "src", "test", "resources", "conformance", "vectors.txt");
    Map<String, String[]> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] f = line.split(" ");
        out.put(f[0] + " " + f[1], f);
      }
    }
    return out;
  }

  private static byte[] hex(String[] f) {
    return f[3].equals("-") ? new byte[0] : HexFormat.of().parseHex(f[3]);
  }

  @Test
  void wsFrames_sdkSendsTheGoldenBytesAndReadsEveryAnswer() throws Exception {
    Map<String, String[]> v = vectors();
    int checked = 0;
    for (Map.Entry<String, String[]> e : v.entrySet()) {
      String key = e.getKey();
      byte[] bytes = hex(e.getValue());
      if (key.startsWith("golden ") && key.endsWith(".ws-request")) {
        WsRequest golden = WsRequest.parseFrom(bytes);
        byte[] sdk =
            WsEdgeTransport.requestFrame(
                golden.getId(),
                golden.getMethod(),
                golden.getToken().isEmpty() ? null : golden.getToken(),
                golden.getBody().toByteArray());
        assertThat(sdk).as(key).isEqualTo(bytes);
        checked++;
      } else if (key.startsWith("golden ") && key.endsWith(".ws-response")) {
        WsResponse r = WireCodec.decode(WsResponse.class, bytes);
        if (r.hasError()) {
          String code = WsEdgeTransport.refusal(EDGE, r.getMethod(), r).code();
          if (key.startsWith("golden error.") && !key.contains("undecodable")) {
            assertThat(key).as(key).isEqualTo("golden error." + code + ".ws-response");
          } else {
            assertThat(code).isEqualTo("bad_request");
          }
        } else {
          String method = r.getMethod();
          VaultMethod<?, ?> m =
              switch (method) {
                case "Register1" -> VaultMethod.REGISTER1;
                case "Register2" -> VaultMethod.REGISTER2;
                case "Recover0" -> VaultMethod.RECOVER0;
                case "Recover1" -> VaultMethod.RECOVER1;
                case "Recover2" -> VaultMethod.RECOVER2;
                case "Delete" -> VaultMethod.DELETE;
                default -> VaultMethod.STATUS;
              };
          WireCodec.decode(m.responseType(), r.getBody().toByteArray());
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(7 * 2 + 14);
  }

  @Test
  void grpcErrors_trailerOrStatus_documentedCode() throws Exception {
    for (Map.Entry<String, String[]> e : vectors().entrySet()) {
      if (e.getKey().startsWith("error ")) {
        String name = e.getValue()[1];
        int status = Integer.parseInt(e.getValue()[5]);
        assertThat(GrpcEdgeTransport.code(status, name)).isEqualTo(name);
        // without the trailer (a proxy's answer) a code of the same status
        String fallback = GrpcEdgeTransport.code(status, null);
        assertThat(vectors().get("error " + fallback)[5])
            .as(name)
            .isEqualTo(String.valueOf(status));
        EdgeCallException ece =
            new EdgeCallException(EDGE, EdgeCallException.Kind.REFUSED, name, "x");
        assertThat(ece.edgeProblem()).as(name).isEqualTo(status == 14);
      }
    }
    assertThat(GrpcEdgeTransport.code(14, "")).isEqualTo("not_ready");
    assertThat(GrpcEdgeTransport.code(2, null)).isEqualTo("internal");
    assertThat(GrpcEdgeTransport.code(14, "some_new_code")).isEqualTo("internal");
  }
}
