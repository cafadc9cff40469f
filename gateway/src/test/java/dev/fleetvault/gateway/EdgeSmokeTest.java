package dev.fleetvault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.support.GrpcTransport;
import dev.fleetvault.gateway.support.Reply;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.gateway.support.WsTransport;
import dev.fleetvault.protocol.wire.StatusRequest;
import dev.fleetvault.protocol.wire.StatusResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A 3-node fleet answers health, readiness, metrics and status on every edge. */
@Tag("process")
class EdgeSmokeTest {
  static TestFleet fleet;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    fleet = dev.fleetvault.gateway.support.SharedFleet.get();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static String get(int port, String uri) throws Exception {
    HttpClient http = vertx.createHttpClient();
    try {
      return http.request(HttpMethod.GET, port, "127.0.0.1", uri)
          .compose(
              r ->
                  r.send()
                      .compose(
                          resp -> resp.body().map(b -> resp.statusCode() + " " + b.toString())))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } finally {
      http.close();
    }
  }

  private static int post(int port, String uri, String contentType, byte[] body, boolean h2)
      throws Exception {
    HttpClient http =
        vertx.createHttpClient(
            new io.vertx.core.http.HttpClientOptions()
                .setProtocolVersion(
                    h2
                        ? io.vertx.core.http.HttpVersion.HTTP_2
                        : io.vertx.core.http.HttpVersion.HTTP_1_1)
                .setHttp2ClearTextUpgrade(false));
    try {
      return http.request(HttpMethod.POST, port, "127.0.0.1", uri)
          .compose(
              r ->
                  r.putHeader("content-type", contentType)
                      .send(io.vertx.core.buffer.Buffer.buffer(body))
                      .compose(resp -> resp.body().map(b -> resp.statusCode())))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } finally {
      http.close();
    }
  }

  @Test
  void grpcWebJsonAndTranscoding_off_415or404() throws Exception {
    int port = fleet.fleet().edges().get(0).port();
    byte[] status = StatusRequest.newBuilder().setVersion(1).setSuite(1).build().toByteArray();
    byte[] framed = new byte[5 + status.length];
    framed[4] = (byte) status.length;
    System.arraycopy(status, 0, framed, 5, status.length);
    String uri = "/fleetvault.v1.Vault/Status";
    // what a browser's grpc-web client sends, binary and text
    assertThat(post(port, uri, "application/grpc-web+proto", framed, false)).isEqualTo(415);
    assertThat(post(port, uri, "application/grpc-web", framed, false)).isEqualTo(415);
    assertThat(
            post(
                port,
                uri,
                "application/grpc-web-text",
                java.util.Base64.getEncoder().encode(framed),
                false))
        .isEqualTo(415);
    // gRPC with the JSON codec over HTTP/2
    byte[] json = "{\"version\":1,\"suite\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] jsonFramed = new byte[5 + json.length];
    jsonFramed[4] = (byte) json.length;
    System.arraycopy(json, 0, jsonFramed, 5, json.length);
    assertThat(post(port, uri, "application/grpc+json", jsonFramed, true)).isEqualTo(415);
    // HTTP/JSON transcoding
    assertThat(post(port, uri, "application/json", json, false)).isEqualTo(404);
    // while plain gRPC still answers
    try (GrpcTransport t = new GrpcTransport(vertx, "127.0.0.1", port)) {
      t.call(
              "Status",
              StatusRequest.newBuilder().setVersion(1).setSuite(1).build(),
              null,
              StatusResponse.getDefaultInstance())
          .orThrow();
    }
  }

  @Test
  void healthz_everyEdge_ok() throws Exception {
    for (LocalFleet.Edge e : fleet.fleet().edges()) {
      assertThat(get(e.port(), "/healthz")).startsWith("200");
    }
  }

  @Test
  void readyz_majorityUp_ready() throws Exception {
    for (LocalFleet.Edge e : fleet.fleet().edges()) {
      String r = get(e.port(), "/readyz");
      for (int i = 0; i < 100 && !r.startsWith("200"); i++) {
        Thread.sleep(100);
        r = get(e.port(), "/readyz");
      }
      assertThat(r).startsWith("200");
    }
  }

  @Test
  void metrics_prometheusText_hasFleetvaultAndVertxMeters() throws Exception {
    int port = fleet.fleet().edges().get(0).port();
    try (GrpcTransport t = new GrpcTransport(vertx, "127.0.0.1", port)) {
      t.call(
              "Status",
              StatusRequest.newBuilder().setVersion(1).setSuite(1).build(),
              null,
              StatusResponse.getDefaultInstance())
          .orThrow();
    }
    assertThat(get(port, "/metrics"))
        .as("metrics are not served on the client port")
        .startsWith("404");
    int admin =
        fleet
            .fleet()
            .node(fleet.fleet().edges().get(0).memberId())
            .adminAddress()
            .orElseThrow()
            .port();
    String m = get(admin, "/metrics");
    assertThat(m)
        .startsWith("200")
        .contains("fleetvault_requests_seconds")
        .contains("fleetvault_requests_seconds_bucket{")
        .contains("le=\"0.001\"")
        .contains("vertx_http_server")
        .contains("fleetvault_build_info{")
        .contains("fleetvault_raft_term")
        .contains("fleetvault_raft_commit_index")
        .contains("fleetvault_raft_apply_lag")
        .contains("fleetvault_hsm_pool_in_flight")
        .contains("fleetvault_hsm_healthy")
        .contains("jvm_memory_used_bytes")
        .contains("process_uptime_seconds");
    assertThat(get(admin, "/healthz")).startsWith("200");
    assertThat(get(admin, "/readyz")).startsWith("200");
  }

  @Test
  void status_grpcAndWebSocket_describeFleet() throws Exception {
    LocalFleet.Edge e = fleet.fleet().edges().get(1);
    StatusRequest req = StatusRequest.newBuilder().setVersion(1).setSuite(1).build();
    try (GrpcTransport g = new GrpcTransport(vertx, e.host(), e.port());
        WsTransport w = new WsTransport(vertx, e.host(), e.port())) {
      for (var t : new dev.fleetvault.gateway.support.VaultTransport[] {g, w}) {
        Reply<StatusResponse> r = t.call("Status", req, null, StatusResponse.getDefaultInstance());
        StatusResponse s = r.orThrow();
        assertThat(s.getFleetId()).as(t.name()).isEqualTo("test");
        assertThat(s.getMembers()).isEqualTo(3);
        assertThat(s.getThreshold()).isEqualTo(2);
        assertThat(s.getReachableMembersList()).containsExactly(1, 2, 3);
        assertThat(s.getLeader())
            .as("%s: the Raft leader's member number", t.name())
            .isBetween(1, 3);
      }
    }
  }

  @Test
  void status_bundleFileConfigured_carriedVerbatimAndUpdated() throws Exception {
    LocalFleet.Edge e = fleet.fleet().edges().get(2);
    StatusRequest req = StatusRequest.newBuilder().setVersion(1).setSuite(1).build();
    java.nio.file.Path file = fleet.dir().resolve("bundle.json");
    byte[] v1 = "{\"envelope\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] v2 = "{\"envelope\":22}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (GrpcTransport g = new GrpcTransport(vertx, e.host(), e.port());
        WsTransport w = new WsTransport(vertx, e.host(), e.port())) {
      java.nio.file.Files.write(file, v1);
      assertThat(
              g.call("Status", req, null, StatusResponse.getDefaultInstance())
                  .orThrow()
                  .getValidationBundle()
                  .toByteArray())
          .isEqualTo(v1);
      java.nio.file.Files.write(file, v2);
      assertThat(
              w.call("Status", req, null, StatusResponse.getDefaultInstance())
                  .orThrow()
                  .getValidationBundle()
                  .toByteArray())
          .isEqualTo(v2);
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }
}
