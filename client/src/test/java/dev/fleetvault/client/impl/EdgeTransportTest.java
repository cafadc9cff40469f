package dev.fleetvault.client.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.client.Edge;
import dev.fleetvault.protocol.wire.StatusRequest;
import dev.fleetvault.protocol.wire.WireVersion;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both transports against an edge that is down (nothing listens) or not an edge at all. */
class EdgeTransportTest {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static StatusRequest status() {
    return StatusRequest.newBuilder()
        .setVersion(WireVersion.VERSION_1)
        .setSuite(WireVersion.SUITE_P256_SHA256)
        .build();
  }

  private static EdgeCallException failure(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(EdgeCallException.class);
      return (EdgeCallException) e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void grpcCall_nothingListening_unreachable() throws Exception {
    GrpcEdgeTransport t =
        new GrpcEdgeTransport(vertx, Duration.ofSeconds(20), Duration.ofSeconds(2));
    Edge edge = new Edge("127.0.0.1", closedPort());

    EdgeCallException e = failure(t.call(edge, VaultMethod.STATUS, status(), null));

    assertThat(e.kind()).isEqualTo(EdgeCallException.Kind.UNREACHABLE);
    assertThat(e.edgeProblem()).isTrue();
    assertThat(e.edge()).isEqualTo(edge);
  }

  @Test
  void webSocketCall_nothingListening_unreachable() throws Exception {
    WsEdgeTransport t = new WsEdgeTransport(vertx, Duration.ofSeconds(20), Duration.ofSeconds(2));
    Edge edge = new Edge("127.0.0.1", closedPort());

    EdgeCallException e = failure(t.call(edge, VaultMethod.STATUS, status(), null));

    assertThat(e.kind()).isEqualTo(EdgeCallException.Kind.UNREACHABLE);
    assertThat(e.edgeProblem()).isTrue();
  }

  @Test
  void webSocketCall_plainHttpServer_unreachable() throws Exception {
    var server =
        vertx
            .createHttpServer()
            .requestHandler(r -> r.response().setStatusCode(404).end())
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    WsEdgeTransport t = new WsEdgeTransport(vertx, Duration.ofSeconds(20), Duration.ofSeconds(2));

    EdgeCallException e =
        failure(
            t.call(new Edge("127.0.0.1", server.actualPort()), VaultMethod.STATUS, status(), null));

    assertThat(e.kind()).isEqualTo(EdgeCallException.Kind.UNREACHABLE);
  }
}
