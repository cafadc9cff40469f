package dev.fleetvault.gateway.hsm;

import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.gateway.errors.ErrorCode;
import dev.fleetvault.gateway.errors.FleetvaultException;
import dev.fleetvault.gateway.logging.LogContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every blocking HSM driver call on a named Vert.x worker pool sized to the driver's session
 * pool, so the event loop never blocks.
 *
 * <p>Guarantees: at most {@code workers + queue} calls are admitted at once; one more fails at once
 * with {@link ErrorCode#HSM_BUSY} (RESOURCE_EXHAUSTED) instead of waiting. A call not finished
 * within {@code timeoutMs} fails with {@link ErrorCode#TIMEOUT} (the worker finishes it in the
 * background and its result is dropped). Driver exceptions are mapped to stable codes; their
 * details are logged, never returned. Latency is recorded as {@code fleetvault.hsm.calls}. The
 * caller's log context (MDC: its request id) is carried onto the worker and into the completion
 * ({@link LogContext}) and cleared from the worker after the call.
 */
public final class HsmExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HsmExecutor.class);
  private final Vertx vertx;
  private final HsmDriver driver;
  private final WorkerExecutor executor;
  private final int admitted;
  private final long timeoutMs;
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * False from a call that found the device unavailable, broken or silent until the next success.
   */
  private volatile boolean healthy = true;

  private final MeterRegistry registry;
  private final String name;
  private final java.util.Map<List<String>, Timer> callTimers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param vertx the node's Vert.x
   * @param name the worker pool name, e.g. {@code fleetvault-hsm-dc1}
   * @param driver the open driver
   * @param workers pool size; 0 means {@code driver.maxConcurrentSessions()}
   * @param queue calls allowed to wait beyond the workers
   * @param timeoutMs per-call timeout
   * @param registry where latency goes
   */
  public HsmExecutor(
      Vertx vertx,
      String name,
      HsmDriver driver,
      int workers,
      int queue,
      long timeoutMs,
      MeterRegistry registry) {
    int size = workers > 0 ? workers : Math.max(1, driver.maxConcurrentSessions());
    this.vertx = vertx;
    this.name = name;
    this.driver = driver;
    this.executor =
        vertx.createSharedWorkerExecutor(
            name, size, Math.max(timeoutMs * 4, 60_000), TimeUnit.MILLISECONDS);
    this.admitted = size + queue;
    this.timeoutMs = timeoutMs;
    this.registry = registry;
    io.micrometer.core.instrument.Gauge.builder(
            "fleetvault.hsm.pool.in.flight", inFlight, AtomicInteger::get)
        .description("HSM calls running or queued")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder("fleetvault.hsm.pool.workers", () -> size)
        .description("HSM worker threads")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder("fleetvault.hsm.pool.capacity", () -> admitted)
        .description("HSM calls admitted at once (workers + queue); more are refused busy")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder("fleetvault.hsm.healthy", () -> healthy ? 1 : 0)
        .description(
            "0 after a call found the HSM unavailable, failing or silent, until one succeeds")
        .register(registry);
  }

  /**
   * Whether the HSM answered the last call that reached it: false after a timeout or an UNAVAILABLE
   * / DEVICE_ERROR / CLOSED failure, true again after the next success.
   */
  public boolean healthy() {
    return healthy;
  }

  /** The driver (for start-up code running on a worker thread already). */
  public HsmDriver driver() {
    return driver;
  }

  /** Runs {@code call} on the pool; {@code op} names it in metrics and logs. */
  public <T> Future<T> call(String op, HsmCall<T> call) {
    if (inFlight.incrementAndGet() > admitted) {
      inFlight.decrementAndGet();
      count(op, "busy");
      return Future.failedFuture(
          new FleetvaultException(ErrorCode.HSM_BUSY, "the HSM queue is full; retry later"));
    }
    Promise<T> promise = Promise.promise();
    long start = System.nanoTime();
    // The caller's log context (its request id) goes with the call: onto the worker, into the
    // timeout and the completion, and so into what the caller chains on the returned future.
    long timer =
        vertx.setTimer(
            timeoutMs,
            LogContext.wrap(
                id -> {
                  if (promise.tryFail(
                      new FleetvaultException(
                          ErrorCode.TIMEOUT, "the HSM did not answer in time; safe to retry"))) {
                    healthy = false;
                    LOG.warn("{}: HSM call '{}' timed out after {} ms", name, op, timeoutMs);
                  }
                }));
    executor
        .<T>executeBlocking(LogContext.wrap(() -> call.apply(driver)), false)
        .onComplete(
            LogContext.wrap(
                ar -> {
                  inFlight.decrementAndGet();
                  vertx.cancelTimer(timer);
                  String outcome = ar.succeeded() ? "ok" : "error";
                  // one timer per (op, outcome), looked up once: ops are a fixed vocabulary
                  callTimers
                      .computeIfAbsent(
                          List.of(op, outcome),
                          k ->
                              Timer.builder("fleetvault.hsm.calls")
                                  .tag("op", op)
                                  .tag("outcome", outcome)
                                  .register(registry))
                      .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                  if (ar.succeeded()) {
                    healthy = true;
                    promise.tryComplete(ar.result());
                  } else {
                    promise.tryFail(map(op, ar.cause()));
                  }
                }));
    return promise.future();
  }

  private void count(String op, String outcome) {
    registry.counter("fleetvault.hsm.refused", "op", op, "outcome", outcome).increment();
  }

  private Throwable map(String op, Throwable t) {
    if (t instanceof FleetvaultException) {
      return t;
    }
    if (t instanceof HsmException) {
      HsmException e = (HsmException) t;
      if (e.kind() == HsmException.Kind.UNAVAILABLE
          || e.kind() == HsmException.Kind.DEVICE_ERROR
          || e.kind() == HsmException.Kind.CLOSED) {
        healthy = false;
      }
      switch (e.kind()) {
        case BUSY:
          return new FleetvaultException(ErrorCode.HSM_BUSY, "the HSM is busy; retry later");
        case UNAVAILABLE:
          LOG.warn("{}: HSM unavailable during '{}': {}", name, op, e.getMessage());
          return new FleetvaultException(
              ErrorCode.TIMEOUT, "the HSM is unavailable; safe to retry");
        case INVALID_INPUT:
          return new FleetvaultException(ErrorCode.BAD_REQUEST, "invalid input (" + op + ")");
        default:
          LOG.error(
              "{}: HSM call '{}' failed: kind {} vendor {}",
              name,
              op,
              e.kind(),
              e.vendorName().orElse("-"),
              e);
          return new FleetvaultException(ErrorCode.INTERNAL, "HSM error");
      }
    }
    LOG.error("{}: HSM call '{}' failed", name, op, t);
    return new FleetvaultException(ErrorCode.INTERNAL, "HSM error");
  }

  /** Closes the worker pool (not the driver). */
  @Override
  public void close() {
    executor.close();
  }
}
