package dev.fleetvault.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.LocalFleet;
import dev.fleetvault.gateway.support.GrpcTransport;
import dev.fleetvault.gateway.support.SharedFleet;
import dev.fleetvault.gateway.support.TestClient;
import dev.fleetvault.gateway.support.TestFleet;
import dev.fleetvault.gateway.support.VaultTransport;
import dev.fleetvault.protocol.flow.RecoverResult;
import dev.fleetvault.protocol.flow.RegisterResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The CPU-bound crypto steps run on the node's crypto worker pool, never on an event loop. */
@Tag("process")
class CryptoExecutorTest {
  static Vertx vertx;

  /** Where a step ran: its thread and whether that thread was a worker / an event loop. */
  record Seen(String op, String thread, boolean worker, boolean eventLoop) {}

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void unhook() {
    CryptoExecutor.observer = null;
  }

  private static <T> T onEventLoop(java.util.function.Supplier<Future<T>> body) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v ->
                body.get()
                    .onComplete(
                        ar -> {
                          if (ar.succeeded()) {
                            out.complete(ar.result());
                          } else {
                            out.completeExceptionally(ar.cause());
                          }
                        }));
    return out.get(30, TimeUnit.SECONDS);
  }

  @Test
  void run_calledOnEventLoop_stepOnNamedWorkerResultBackOnCallerContext() throws Exception {
    try (CryptoExecutor crypto = new CryptoExecutor(vertx, "fleetvault-crypto-unit", 2)) {
      List<String> seen =
          onEventLoop(
              () -> {
                Context caller = Vertx.currentContext();
                String callerThread = Thread.currentThread().getName();
                return crypto
                    .run(
                        "step",
                        () ->
                            List.of(
                                Thread.currentThread().getName(),
                                String.valueOf(Context.isOnWorkerThread()),
                                String.valueOf(Context.isOnEventLoopThread())))
                    .map(
                        r ->
                            List.of(
                                r.get(0),
                                r.get(1),
                                r.get(2),
                                callerThread,
                                Thread.currentThread().getName(),
                                String.valueOf(Vertx.currentContext() == caller)));
              });
      assertThat(seen.get(0)).startsWith("fleetvault-crypto-unit");
      assertThat(seen.get(1)).isEqualTo("true");
      assertThat(seen.get(2)).isEqualTo("false");
      assertThat(seen.get(4)).as("continuation thread").isEqualTo(seen.get(3));
      assertThat(seen.get(5)).as("continuation on the caller's context").isEqualTo("true");
    }
  }

  @Test
  void run_stepThrows_callerGetsTheSameException() throws Exception {
    IllegalStateException thrown = new IllegalStateException("boom");
    try (CryptoExecutor crypto = new CryptoExecutor(vertx, "fleetvault-crypto-unit", 2)) {
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () ->
                  onEventLoop(
                      () ->
                          crypto.<String>run(
                              "step",
                              () -> {
                                throw thrown;
                              })));
      assertThat(e.getCause()).isSameAs(thrown);
    }
  }

  @Test
  void memberAndTokenSteps_fullRecovery_runOnCryptoWorkersNotEventLoop() throws Exception {
    TestFleet fleet = SharedFleet.get();
    List<Seen> seen = new CopyOnWriteArrayList<>();
    CryptoExecutor.observer =
        op ->
            seen.add(
                new Seen(
                    op,
                    Thread.currentThread().getName(),
                    Context.isOnWorkerThread(),
                    Context.isOnEventLoopThread()));
    LocalFleet.Edge e = fleet.fleet().edges().get(0);
    try (VaultTransport t = new GrpcTransport(vertx, e.host(), e.port())) {
      TestClient c = new TestClient(t, fleet.realm(), fleet::token);
      String user = "crypto-pool-user";
      assertThat(c.register(user, "1357", new byte[] {7, 7, 7}, 5))
          .isInstanceOf(RegisterResult.Registered.class);
      assertThat(c.recover(user, "0000")).isEqualTo(new RecoverResult.WrongPin(4));
      assertThat(c.recover(user, "1357")).isInstanceOf(RecoverResult.Recovered.class);
    }
    CryptoExecutor.observer = null;
    Map<String, Boolean> ops = new ConcurrentHashMap<>();
    for (Seen s : seen) {
      ops.put(s.op(), true);
      assertThat(s.thread()).as("thread of step %s", s.op()).startsWith("fleetvault-crypto-");
      assertThat(s.worker()).as("%s on a worker thread", s.op()).isTrue();
      assertThat(s.eventLoop()).as("%s on an event loop", s.op()).isFalse();
    }
    assertThat(ops.keySet())
        .contains(
            "jwt",
            "open",
            "register1",
            "register2",
            "recover0",
            "recover1",
            "evaluate",
            "recover2",
            "release",
            "decode");
  }
}
