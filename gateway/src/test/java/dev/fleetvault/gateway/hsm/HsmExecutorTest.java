package dev.fleetvault.gateway.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.FleetvaultException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HsmExecutorTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static FleetvaultException failure(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return (FleetvaultException) e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void call_queueFull_hsmBusyImmediately() throws Exception {
    HsmExecutor hsm =
        new HsmExecutor(vertx, "test-hsm-busy", null, 1, 1, 30_000, new SimpleMeterRegistry());
    CountDownLatch release = new CountDownLatch(1);
    List<Future<String>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(
          hsm.call(
              "hold",
              d -> {
                await(release);
                return "done";
              }));
    }
    FleetvaultException e = failure(hsm.call("one-too-many", d -> "never"));
    assertThat(e.code()).isEqualTo(ErrorCode.HSM_BUSY);
    assertThat(e.code().grpcStatus().name()).isEqualTo("RESOURCE_EXHAUSTED");
    release.countDown();
    for (Future<String> f : held) {
      assertThat(f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
          .isEqualTo("done");
    }
    assertThat(
            hsm.call("after", d -> "ok")
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS))
        .isEqualTo("ok");
    hsm.close();
  }

  @Test
  void call_slowerThanTimeout_timeoutCode() throws Exception {
    HsmExecutor hsm =
        new HsmExecutor(vertx, "test-hsm-slow", null, 1, 0, 200, new SimpleMeterRegistry());
    CountDownLatch release = new CountDownLatch(1);
    FleetvaultException e =
        failure(
            hsm.call(
                "slow",
                d -> {
                  await(release);
                  return "late";
                }));
    assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
    release.countDown();
    hsm.close();
  }

  @Test
  void call_driverFailure_mappedWithoutDetails() throws Exception {
    HsmExecutor hsm =
        new HsmExecutor(vertx, "test-hsm-fail", null, 1, 0, 5_000, new SimpleMeterRegistry());
    FleetvaultException e =
        failure(
            hsm.call(
                "ecdh",
                d -> {
                  throw new dev.fleetvault.driver.spi.HsmFatalException(
                      dev.fleetvault.driver.spi.HsmException.Kind.INVALID_INPUT,
                      "point not on curve: 04ab..");
                }));
    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(e.getMessage()).doesNotContain("04ab");
    hsm.close();
  }

  @Test
  void healthy_deviceErrorThenSuccess_flagAndGaugeFollow() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HsmExecutor hsm = new HsmExecutor(vertx, "test-hsm-health", null, 1, 0, 30_000, registry);
    assertThat(hsm.healthy()).isTrue();
    failure(
        hsm.call(
            "bad-input",
            d -> {
              throw new dev.fleetvault.driver.spi.HsmFatalException(
                  dev.fleetvault.driver.spi.HsmException.Kind.INVALID_INPUT, "caller's fault");
            }));
    assertThat(hsm.healthy()).as("a caller's bad input says nothing of the device").isTrue();
    failure(
        hsm.call(
            "broken",
            d -> {
              throw new dev.fleetvault.driver.spi.HsmFatalException(
                  dev.fleetvault.driver.spi.HsmException.Kind.DEVICE_ERROR, "device fault");
            }));
    assertThat(hsm.healthy()).isFalse();
    assertThat(registry.get("fleetvault.hsm.healthy").gauge().value()).isZero();
    hsm.call("fine", d -> "ok").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(hsm.healthy()).isTrue();
    assertThat(registry.get("fleetvault.hsm.healthy").gauge().value()).isEqualTo(1.0);
    assertThat(registry.get("fleetvault.hsm.pool.capacity").gauge().value()).isEqualTo(1.0);
    hsm.close();
  }
}
