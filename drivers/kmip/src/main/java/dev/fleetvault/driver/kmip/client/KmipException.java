package dev.fleetvault.driver.kmip.client;

import dev.fleetvault.driver.kmip.ttlv.KmipEnum;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.Operation;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.ResultReason;

/**
 * A KMIP call failed. {@link #kind()} says where (server result, transport, timeout, TLS, malformed
 * answer, pool exhausted, closed client); {@link #resultReason()} keeps the server's KMIP Result
 * Reason code when the server answered with a failure.
 *
 * <p>Guarantee: messages carry operation names, reasons and the server's result message, never
 * request or response data.
 */
public final class KmipException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Where the failure happened. */
  public enum Kind {
    /** The server answered with Result Status "Operation Failed" (see {@link #resultReason()}). */
    OPERATION_FAILED,
    /** Connecting, writing or reading failed (connection refused, reset, closed). Retryable. */
    TRANSPORT,
    /** The server did not answer within the configured timeout. Retryable. */
    TIMEOUT,
    /** The TLS handshake failed (certificate not trusted, client certificate refused ...). */
    TLS,
    /** The answer was malformed, exceeded a limit, or did not match the request. */
    PROTOCOL,
    /** No pooled connection became free within the borrow timeout. Retryable. */
    BUSY,
    /** The client was closed. */
    CLOSED
  }

  private final Kind kind;
  private final Operation operation;
  private final int resultReason;

  /** A failure that is not a server result. */
  public KmipException(Kind kind, Operation operation, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.operation = operation;
    this.resultReason = -1;
  }

  /** A server result "Operation Failed" with its reason code (or -1 when the server gave none). */
  public KmipException(Operation operation, int resultReason, String resultMessage) {
    super(
        (operation == null ? "KMIP request" : operation.name())
            + " failed: "
            + (resultReason < 0 ? "no reason" : KmipEnum.nameOf(ResultReason.class, resultReason))
            + (resultMessage == null || resultMessage.isEmpty() ? "" : " (" + resultMessage + ")"));
    this.kind = Kind.OPERATION_FAILED;
    this.operation = operation;
    this.resultReason = resultReason;
  }

  /** Where the failure happened. */
  public Kind kind() {
    return kind;
  }

  /** The operation that failed, or {@code null} when unknown. */
  public Operation operation() {
    return operation;
  }

  /**
   * The KMIP Result Reason code, or -1 when the failure was not a server result or had no reason.
   */
  public int resultReason() {
    return resultReason;
  }

  /** The Result Reason as a constant, or {@code null} when absent or not listed. */
  public ResultReason reason() {
    return resultReason < 0 ? null : KmipEnum.ofCode(ResultReason.class, resultReason);
  }

  /** Whether repeating the call later may succeed (transport trouble, timeout, pool exhausted). */
  public boolean isRetryable() {
    return kind == Kind.TRANSPORT || kind == Kind.TIMEOUT || kind == Kind.BUSY;
  }
}
