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
import org.junit.jupiter.api.Test;

/** A 3-node fleet answers health, readiness, metrics and status on every edge. */
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
          .compose(r -> r.send().compose(resp -> resp.body()
              .map(b -> resp.statusCode() + " " + b.toString())))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      http.close();
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
      t.call("Status", StatusRequest.newBuilder().setVersion(1).setSuite(1).build(), null,
          StatusResponse.getDefaultInstance()).orThrow();
    }
    String m = get(port, "/metrics");
    assertThat(m).startsWith("200").contains("fleetvault_requests_seconds")
        .contains("vertx_http_server");
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
        assertThat(s.getLeader()).as("%s: the Raft leader's member number", t.name()).isBetween(1, 3);
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
      assertThat(g.call("Status", req, null, StatusResponse.getDefaultInstance()).orThrow()
          .getValidationBundle().toByteArray()).isEqualTo(v1);
      java.nio.file.Files.write(file, v2);
      assertThat(w.call("Status", req, null, StatusResponse.getDefaultInstance()).orThrow()
          .getValidationBundle().toByteArray()).isEqualTo(v2);
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }
}
