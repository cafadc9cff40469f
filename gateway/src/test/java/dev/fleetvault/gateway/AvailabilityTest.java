package dev.fleetvault.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.gateway.support.EdgeError;
import dev.fleetvault.gateway.support.GrpcTransport;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.gateway.support.VaultTransport;
import dev.fleetvault.gateway.support.WsTransport;
import dev.fleetvault.protocol.flow.RecoverResult;
import dev.fleetvault.protocol.flow.RegisterResult;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Members going down: one down still serves; two down refuses and spends nothing. */
@Tag("process")
class AvailabilityTest {
  @TempDir Path dir;
  TestFleet fleet;
  Vertx vertx;

  @BeforeEach
  void start() throws Exception {
    fleet = TestFleet.start(dir);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    fleet.close();
  }

  private TestClient client(VaultTransport t) throws Exception {
    return new TestClient(t, fleet.realm(), fleet::token);
  }

  private VaultTransport grpc(String member) {
    var a = fleet.fleet().node(member).clientAddress();
    return new GrpcTransport(vertx, a.host(), a.port());
  }

  private VaultTransport ws(String member) throws Exception {
    var a = fleet.fleet().node(member).clientAddress();
    return new WsTransport(vertx, a.host(), a.port());
  }

  /** Phase 0 is free: poll it until every member answers again after the restarts. */
  private void awaitAllMembersAnswer(VaultTransport t, String user) throws Exception {
    for (int i = 0; i < 120; i++) {
      var req =
          dev.fleetvault.protocol.flow.Recovery.begin(
                  fleet.realm(),
                  dev.fleetvault.gateway.support.TestClient.APP,
                  user.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  dev.fleetvault.protocol.secret.SecretBytes.copyOf(new byte[] {0}),
                  new java.security.SecureRandom())
              .recover0Request();
      var r =
          t.call(
              "Recover0",
              req,
              fleet.token(user),
              dev.fleetvault.protocol.wire.Recover0Response.getDefaultInstance());
      if (r.ok() && r.body().getResultsList().stream().allMatch(m -> m.hasAnswer())) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("members did not all answer within 60 s after the restart");
  }

  @Test
  void oneStopped_twoStopped_restart_guessesPreserved() throws Exception {
    try (VaultTransport t = grpc("dc1")) {
      assertThat(client(t).register("erin", "5555", new byte[] {5}, 5))
          .isInstanceOf(RegisterResult.Registered.class);
    }

    fleet.fleet().stopNode("dc1");
    try (VaultTransport g = grpc("dc2");
        VaultTransport w = ws("dc3")) {
      assertThat(client(g).recover("erin", "5555")).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(client(w).recover("erin", "5555")).isInstanceOf(RecoverResult.Recovered.class);
      assertThat(client(g).register("frank", "7777", new byte[] {7}, 5))
          .isInstanceOf(RegisterResult.Registered.class);
      assertThat(client(w).recover("frank", "7777")).isInstanceOf(RecoverResult.Recovered.class);
    }

    fleet.fleet().stopNode("dc2");
    try (VaultTransport g = grpc("dc3");
        VaultTransport w = ws("dc3")) {
      for (VaultTransport t : new VaultTransport[] {g, w}) {
        assertThatThrownBy(() -> client(t).recover("erin", "0000"))
            .as(t.name())
            .isInstanceOfSatisfying(
                EdgeError.class,
                e -> {
                  assertThat(e.status).isEqualTo("UNAVAILABLE");
                  assertThat(e.code).isEqualTo("no_majority");
                });
        assertThatThrownBy(() -> client(t).recover("erin", "5555"))
            .as(t.name())
            .isInstanceOf(EdgeError.class);
      }
    }

    fleet.fleet().startNode("dc1");
    fleet.fleet().startNode("dc2");
    try (VaultTransport g = grpc("dc1")) {
      awaitAllMembersAnswer(g, "erin");
      assertThat(client(g).recover("erin", "0000"))
          .as("no guess was spent while unavailable")
          .isEqualTo(new RecoverResult.WrongPin(4));
      assertThat(client(g).recover("frank", "7777")).isInstanceOf(RecoverResult.Recovered.class);
    }
  }
}
