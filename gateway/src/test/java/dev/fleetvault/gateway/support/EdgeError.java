package dev.fleetvault.gateway.support;

/** An edge answered an error instead of a body. */
public final class EdgeError extends Exception {
  private static final long serialVersionUID = 1L;

  /** The stable code. */
  public final String code;

  /** The gRPC status name. */
  public final String status;

  public EdgeError(Reply<?> r) {
    super(r.code() + " (" + r.status() + "): " + r.message());
    this.code = r.code();
    this.status = r.status();
  }
}
