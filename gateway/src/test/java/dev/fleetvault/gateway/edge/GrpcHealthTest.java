package dev.fleetvault.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.protocol.health.HealthCheckRequest;
import dev.fleetvault.protocol.health.HealthCheckResponse;
import dev.fleetvault.protocol.health.HealthGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The edge answers the standard grpc.health.v1 Health/Check from the node's readiness. */
@Tag("process")
class GrpcHealthTest {
  static TestFleet fleet;
  static Vertx vertx;
  static GrpcClient client;

  @BeforeAll
  static void start() throws Exception {
    fleet = dev.fleetvault.gateway.support.SharedFleet.get();
    vertx = Vertx.vertx();
    client =
        GrpcClient.client(
            vertx,
            new GrpcClientOptions(),
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private record Answer(GrpcStatus status, HealthCheckResponse response) {}

  private static Answer check(String service) throws Exception {
    var e = fleet.fleet().edges().get(0);
    return client
        .request(SocketAddress.inetSocketAddress(e.port(), e.host()), HealthGrpcClient.Check)
        .compose(req -> req.send(HealthCheckRequest.newBuilder().setService(service).build()))
        .compose(
            resp ->
                resp.last()
                    .transform(
                        ar ->
                            io.vertx.core.Future.succeededFuture(
                                new Answer(resp.status(), ar.succeeded() ? ar.result() : null))))
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  @Test
  void check_readyNode_serving() throws Exception {
    for (String service : new String[] {"", "fleetvault.v1.Vault"}) {
      Answer a = check(service);
      assertThat(a.status()).as("service '%s'", service).isIn(GrpcStatus.OK, null);
      assertThat(a.response().getStatus())
          .as("service '%s'", service)
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
  }

  @Test
  void check_unknownService_notFound() throws Exception {
    assertThat(check("no.such.Service").status()).isEqualTo(GrpcStatus.NOT_FOUND);
  }
}
