package dev.fleetvault.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.LocalFleet;
import dev.fleetvault.gateway.support.SharedFleet;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14.4/14.5: the client edge answers malformed gRPC input with a clear gRPC error — a {@code
 * grpc-encoding} other than identity (the protocol has no compression, PROTOCOL.md 4.1), and a
 * {@code StatusRequest} over its 64-byte limit even when it re-encodes smaller (the limit is on the
 * bytes received). A frame flagged compressed without {@code grpc-encoding} is not yet answered
 * (disabled test below).
 */
@Tag("process")
class EdgeGrpcFramingTest {
  private Vertx vertx;
  private HttpClient http;
  private LocalFleet.Edge edge;

  @BeforeEach
  void start() throws Exception {
    edge = SharedFleet.get().fleet().edges().get(0);
    vertx = Vertx.vertx();
    http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * The gRPC status and fleetvault-error of one raw call (trailers, or headers when trailers-only).
   */
  private String[] call(String method, byte flag, byte[] payload, String encoding)
      throws Exception {
    Buffer body = Buffer.buffer().appendByte(flag).appendInt(payload.length).appendBytes(payload);
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(edge.host())
            .setPort(edge.port())
            .setURI("/fleetvault.v1.Vault/" + method)
            .putHeader("content-type", "application/grpc")
            .putHeader("te", "trailers");
    if (encoding != null) {
      o.putHeader("grpc-encoding", encoding);
    }
    HttpClientResponse resp =
        http.request(o)
            .compose(req -> req.send(body))
            .compose(r -> r.body().map(b -> r))
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    MultiMap t = resp.trailers().contains("grpc-status") ? resp.trailers() : resp.headers();
    return new String[] {t.get("grpc-status"), t.get("fleetvault-error")};
  }

  private static byte[] statusRequest(int repeats) {
    // version=1 (field 1) and suite=1 (field 2), the version field repeated: 2 bytes each,
    // last one wins, so the parsed message re-encodes to 4 bytes
    byte[] b = new byte[2 * repeats + 2];
    for (int i = 0; i < repeats; i++) {
      b[2 * i] = 0x08;
      b[2 * i + 1] = 0x01;
    }
    b[2 * repeats] = 0x10;
    b[2 * repeats + 1] = 0x01;
    return b;
  }

  @Test
  void status_smallRequest_answered() throws Exception {
    assertThat(call("Status", (byte) 0, statusRequest(1), null)[0]).isEqualTo("0");
  }

  @Test
  void status_thousandBytesThatReencodeSmall_refusedTooLarge() throws Exception {
    String[] r = call("Status", (byte) 0, statusRequest(499), null);
    assertThat(r[0]).isEqualTo("8"); // RESOURCE_EXHAUSTED
    assertThat(r[1]).isEqualTo("too_large");
  }

  @Test
  @org.junit.jupiter.api.Disabled(
      "NOT FIXED (issue 14.4): Vert.x 5.0.7's deframer throws "
          + "UnsupportedOperationException(\"Handle me\") on a compressed frame without grpc-encoding, outside "
          + "any handler the edge can reach; the stream stays open until the idle timeout")
  void status_compressedFlagWithoutEncoding_answeredWithError() throws Exception {
    String[] r = call("Status", (byte) 1, statusRequest(1), null);
    assertThat(r[0]).isNotNull().isNotEqualTo("0");
  }

  @Test
  void status_gzipEncoding_refused() throws Exception {
    java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(z)) {
      g.write(statusRequest(1));
    }
    String[] r = call("Status", (byte) 1, z.toByteArray(), "gzip");
    assertThat(r[0]).isNotNull().isNotEqualTo("0");
  }
}
