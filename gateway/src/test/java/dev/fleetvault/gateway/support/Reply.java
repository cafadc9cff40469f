package dev.fleetvault.gateway.support;

/**
 * A transport-neutral answer in tests: a body, or an error code with its gRPC status.
 *
 * @param <R> the response type
 */
public record Reply<R>(R body, String code, String status, String message) {
  /** True if a body came back. */
  public boolean ok() {
    return body != null;
  }

  /** The body, or an AssertionError naming the error. */
  public R orThrow() {
    if (body == null) {
      throw new AssertionError(
          "expected an answer, got error " + code + " (" + status + "): " + message);
    }
    return body;
  }
}
