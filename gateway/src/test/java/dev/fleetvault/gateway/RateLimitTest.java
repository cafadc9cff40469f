package dev.fleetvault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.support.GrpcTransport;
import dev.fleetvault.gateway.support.Reply;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.gateway.support.VaultTransport;
import dev.fleetvault.gateway.support.WsTransport;
import dev.fleetvault.protocol.flow.Recovery;
import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.Recover0Response;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-user and per-address token buckets of an edge, end to end: once a bucket is empty the
 * edge answers {@code rate_limited} (gRPC RESOURCE_EXHAUSTED) before anything reaches a member,
 * other users keep their own budget, and another edge keeps its own buckets. Budgets: 3 requests
 * per user and 8 per address per minute, so the test's few seconds regain less than one token.
 */
@Tag("process")
class RateLimitTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;
  TestFleet fleet;
  Vertx vertx;

  @BeforeEach
  void start() throws Exception {
    fleet = TestFleet.start(dir, "  per_user_per_minute: 3\n  per_address_per_minute: 8\n");
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    fleet.close();
  }

  private Reply<Recover0Response> recover0(VaultTransport t, String user) throws Exception {
    var request =
        Recovery.begin(
                fleet.realm(),
                TestClient.APP,
                user.getBytes(StandardCharsets.UTF_8),
                SecretBytes.copyOf(new byte[] {1, 2, 3, 4}),
                RANDOM)
            .recover0Request();
    return t.call("Recover0", request, fleet.token(user), Recover0Response.getDefaultInstance());
  }

  @Test
  void recover0_userThenAddressBudgetSpent_rateLimitedWhileOtherEdgeServes() throws Exception {
    var dc1 = fleet.fleet().node("dc1").clientAddress();
    try (VaultTransport g = new GrpcTransport(vertx, dc1.host(), dc1.port())) {
      for (int i = 0; i < 3; i++) {
        assertThat(recover0(g, "ann").ok()).as("ann request %d", i + 1).isTrue();
      }
      Reply<Recover0Response> refused = recover0(g, "ann");
      assertThat(refused.code()).isEqualTo("rate_limited");
      assertThat(refused.status()).isEqualTo("RESOURCE_EXHAUSTED");
      assertThat(refused.message()).contains("for this user").doesNotContain("ann");

      for (int i = 0; i < 3; i++) {
        assertThat(recover0(g, "bob").ok())
            .as("bob has his own budget, request %d", i + 1)
            .isTrue();
      }
      assertThat(recover0(g, "cat").ok()).as("the address's 8th request").isTrue();
      Reply<Recover0Response> byAddress = recover0(g, "cat");
      assertThat(byAddress.code()).isEqualTo("rate_limited");
      assertThat(byAddress.message()).contains("from this address");
    }
    var dc2 = fleet.fleet().node("dc2").clientAddress();
    try (VaultTransport w = new WsTransport(vertx, dc2.host(), dc2.port())) {
      assertThat(recover0(w, "ann").ok()).as("dc2 keeps its own buckets").isTrue();
    }
  }
}
