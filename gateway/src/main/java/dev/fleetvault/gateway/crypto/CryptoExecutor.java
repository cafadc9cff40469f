package dev.fleetvault.gateway.crypto;

import dev.fleetvault.gateway.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs CPU-bound crypto steps (HPKE open/seal, OPRF evaluation with its DLEQ proof, record
 * decoding, ES256 token verification) on a named Vert.x worker pool, so the event loop never blocks
 * on them.
 *
 * <p>Guarantees: one pool per node (created once, sized to the available cores by default, closed
 * by {@link #close()}); it is separate from the HSM executor, whose admission limit and timeout are
 * unchanged. Steps are not ordered against each other (each request's steps are ordered by its own
 * future chain). The returned future completes on the caller's Vert.x context, with the step's
 * result or exactly the exception the step threw (no wrapping), so callers keep their error
 * mapping. The caller's log context (MDC: its request id) is carried onto the worker and into the
 * completion ({@link LogContext}), and cleared from the worker after the step.
 */
public final class CryptoExecutor implements AutoCloseable {
  /** Test hook: told the step name on the thread that runs it. Package-private on purpose. */
  static volatile Consumer<String> observer;

  private final WorkerExecutor executor;
  private final String name;

  /**
   * @param vertx the node's Vert.x
   * @param name the worker pool name, e.g. {@code fleetvault-crypto-dc1}
   * @param size worker threads; 0 means the number of available cores
   */
  public CryptoExecutor(Vertx vertx, String name, int size) {
    int threads = size > 0 ? size : Math.max(1, Runtime.getRuntime().availableProcessors());
    this.name = name;
    this.executor = vertx.createSharedWorkerExecutor(name, threads, 60, TimeUnit.SECONDS);
  }

  /** The pool name (worker threads are named after it). */
  public String name() {
    return name;
  }

  /**
   * Runs {@code step} on the pool; {@code op} names it for the test hook. Must be called on a
   * Vert.x context (the result hops back to it).
   */
  public <T> Future<T> run(String op, Callable<T> step) {
    io.vertx.core.Promise<T> done = io.vertx.core.Promise.promise();
    executor
        .executeBlocking(
            LogContext.wrap(
                () -> {
                  Consumer<String> o = observer;
                  if (o != null) {
                    o.accept(op);
                  }
                  return step.call();
                }),
            false)
        .onComplete(LogContext.wrap(done::handle));
    return done.future();
  }

  /** Closes the worker pool. */
  @Override
  public void close() {
    executor.close();
  }
}
