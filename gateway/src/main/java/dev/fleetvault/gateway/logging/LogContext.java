package dev.fleetvault.gateway.logging;

import io.vertx.core.Handler;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * Carries the SLF4J MDC (a request's {@code request_id}) across thread hops: each {@code wrap}
 * copies the MDC of the thread that calls it, and the wrapped task or callback runs with exactly
 * that MDC on whatever thread runs it (an HSM or crypto worker, an event loop later), then puts
 * back what that thread had before (nothing, for a pooled worker). So every log line of a request,
 * on any thread, carries its id, and no id outlives its task on a pooled thread.
 *
 * <p>Guarantees: the copy is taken at wrap time (not at run time); a wrap with an empty MDC runs
 * the task with an empty MDC (it does not inherit a stale id left on the running thread).
 */
public final class LogContext {
  private LogContext() {}

  /** {@code task}, run with the caller's current MDC. */
  public static Runnable wrap(Runnable task) {
    Map<String, String> captured = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> previous = install(captured);
      try {
        task.run();
      } finally {
        install(previous);
      }
    };
  }

  /** {@code task}, run with the caller's current MDC. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    Map<String, String> captured = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> previous = install(captured);
      try {
        return task.call();
      } finally {
        install(previous);
      }
    };
  }

  /** {@code handler}, run with the caller's current MDC. */
  public static <T> Handler<T> wrap(Handler<T> handler) {
    Map<String, String> captured = MDC.getCopyOfContextMap();
    return value -> {
      Map<String, String> previous = install(captured);
      try {
        handler.handle(value);
      } finally {
        install(previous);
      }
    };
  }

  /** Replaces this thread's MDC with {@code context} (empty when null); returns the old one. */
  private static Map<String, String> install(Map<String, String> context) {
    Map<String, String> previous = MDC.getCopyOfContextMap();
    if (context == null || context.isEmpty()) {
      MDC.clear();
    } else {
      MDC.setContextMap(context);
    }
    return previous;
  }
}
