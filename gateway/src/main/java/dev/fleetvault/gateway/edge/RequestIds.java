package dev.fleetvault.gateway.edge;

import io.vertx.core.Handler;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.MDC;

/**
 * Request ids for logs: every client request gets one ({@link #next()}), and the edge runs each of
 * the request's handlers with it in the SLF4J MDC under {@value #MDC_KEY} ({@link #run}, {@link
 * #wrap}), restoring what was there after, so log lines of one request can be found together even
 * though a Vert.x event loop interleaves many requests. An id is a per-process random prefix and a
 * counter: it identifies a request in this node's logs and says nothing about the user, the token
 * or the payload.
 */
public final class RequestIds {
  /** The MDC key ({@code %X{request_id}} in a logback pattern; a field of the JSON log format). */
  public static final String MDC_KEY = "request_id";

  /**
   * The gRPC metadata key carrying a request's id on a node-to-node (peer) call, so the member's
   * log lines for it carry the same id ({@link #fromPeer}).
   */
  public static final String PEER_HEADER = "fleetvault-request-id";

  private static final java.util.regex.Pattern FORMAT =
      java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{1,16}");

  private static final String PREFIX;
  private static final AtomicLong SEQ = new AtomicLong();

  static {
    byte[] b = new byte[4];
    new SecureRandom().nextBytes(b);
    PREFIX = HexFormat.of().formatHex(b);
  }

  private RequestIds() {}

  /** A new request id, unique within this process. */
  public static String next() {
    return PREFIX + "-" + Long.toHexString(SEQ.incrementAndGet());
  }

  /**
   * The id a peer sent in {@link #PEER_HEADER} when it has exactly the form {@link #next()} makes
   * (8 hex digits, a dash, 1 to 16 hex digits), else a new one of this node's: a peer (possibly a
   * compromised member) can only name a request, never put other text into this node's logs.
   */
  public static String fromPeer(String header) {
    return header != null && FORMAT.matcher(header).matches() ? header : next();
  }

  /** Runs {@code r} with {@code id} in the MDC, then restores the MDC's previous value. */
  public static void run(String id, Runnable r) {
    String previous = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, id);
    try {
      r.run();
    } finally {
      if (previous == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, previous);
      }
    }
  }

  /** {@code h}, run with {@code id} in the MDC (for a request's callbacks). */
  public static <T> Handler<T> wrap(String id, Handler<T> h) {
    return value -> run(id, () -> h.handle(value));
  }
}
