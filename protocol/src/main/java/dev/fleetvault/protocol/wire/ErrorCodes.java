package dev.fleetvault.protocol.wire;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one mapping of {@link ErrorCode} (common.proto) to its wire name and gRPC status, shared by
 * the node, the SDK and docs/PROTOCOL.md section 16 (the conformance suite checks that the
 * document's table is this table).
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@link #wireName} is the value name without {@code ERROR_CODE_}, in lower case; it is what
 *       the gRPC trailer {@value #TRAILER} and {@code MemberUnavailable.reason} carry.
 *   <li>Every code but {@code ERROR_CODE_UNSPECIFIED} has exactly one gRPC status; {@link
 *       #fromGrpcStatus} is the fallback for an error without the trailer (a proxy's).
 *   <li>Unknown names and values read as {@code ERROR_CODE_INTERNAL}, never as success.
 * </ul>
 */
public final class ErrorCodes {
  /** The gRPC trailer (and, on trailers-only answers, header) carrying the code's wire name. */
  public static final String TRAILER = "fleetvault-error";

  private static final String PREFIX = "ERROR_CODE_";
  private static final Map<ErrorCode, Integer> GRPC = new EnumMap<>(ErrorCode.class);

  /** gRPC status codes (grpc/doc/statuscodes.md) used by the mapping. */
  public static final int GRPC_INVALID_ARGUMENT = 3;

  /** DEADLINE_EXCEEDED. */
  public static final int GRPC_DEADLINE_EXCEEDED = 4;

  /** PERMISSION_DENIED. */
  public static final int GRPC_PERMISSION_DENIED = 7;

  /** RESOURCE_EXHAUSTED. */
  public static final int GRPC_RESOURCE_EXHAUSTED = 8;

  /** FAILED_PRECONDITION. */
  public static final int GRPC_FAILED_PRECONDITION = 9;

  /** UNIMPLEMENTED. */
  public static final int GRPC_UNIMPLEMENTED = 12;

  /** INTERNAL. */
  public static final int GRPC_INTERNAL = 13;

  /** UNAVAILABLE. */
  public static final int GRPC_UNAVAILABLE = 14;

  /** UNAUTHENTICATED. */
  public static final int GRPC_UNAUTHENTICATED = 16;

  static {
    GRPC.put(ErrorCode.ERROR_CODE_UNAUTHENTICATED, GRPC_UNAUTHENTICATED);
    GRPC.put(ErrorCode.ERROR_CODE_PERMISSION_DENIED, GRPC_PERMISSION_DENIED);
    GRPC.put(ErrorCode.ERROR_CODE_BAD_REQUEST, GRPC_INVALID_ARGUMENT);
    GRPC.put(ErrorCode.ERROR_CODE_UNSUPPORTED_VERSION, GRPC_INVALID_ARGUMENT);
    GRPC.put(ErrorCode.ERROR_CODE_TOO_LARGE, GRPC_RESOURCE_EXHAUSTED);
    GRPC.put(ErrorCode.ERROR_CODE_RATE_LIMITED, GRPC_RESOURCE_EXHAUSTED);
    GRPC.put(ErrorCode.ERROR_CODE_HSM_BUSY, GRPC_RESOURCE_EXHAUSTED);
    GRPC.put(ErrorCode.ERROR_CODE_REPLAYED, GRPC_FAILED_PRECONDITION);
    GRPC.put(ErrorCode.ERROR_CODE_FAILED_PRECONDITION, GRPC_FAILED_PRECONDITION);
    GRPC.put(ErrorCode.ERROR_CODE_NO_MAJORITY, GRPC_UNAVAILABLE);
    GRPC.put(ErrorCode.ERROR_CODE_TIMEOUT, GRPC_UNAVAILABLE);
    GRPC.put(ErrorCode.ERROR_CODE_NOT_READY, GRPC_UNAVAILABLE);
    GRPC.put(ErrorCode.ERROR_CODE_UNKNOWN_METHOD, GRPC_UNIMPLEMENTED);
    GRPC.put(ErrorCode.ERROR_CODE_INTERNAL, GRPC_INTERNAL);
  }

  private ErrorCodes() {}

  /** Every code a node may send (all values but UNSPECIFIED), in number order. */
  public static ErrorCode[] sent() {
    return GRPC.keySet().toArray(new ErrorCode[0]);
  }

  /** The wire name: {@code ERROR_CODE_NO_MAJORITY} is {@code "no_majority"}. */
  public static String wireName(ErrorCode code) {
    ErrorCode c = of(code);
    return c.name().substring(PREFIX.length()).toLowerCase(Locale.ROOT);
  }

  /** The code with that wire name; {@code ERROR_CODE_INTERNAL} for an unknown or empty one. */
  public static ErrorCode fromWireName(String name) {
    if (name == null || name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))) {
      return ErrorCode.ERROR_CODE_INTERNAL;
    }
    try {
      return of(ErrorCode.valueOf(PREFIX + name.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return ErrorCode.ERROR_CODE_INTERNAL;
    }
  }

  /** {@code code} itself, or {@code ERROR_CODE_INTERNAL} for UNSPECIFIED, UNRECOGNIZED or null. */
  public static ErrorCode of(ErrorCode code) {
    return code == null || !GRPC.containsKey(code) ? ErrorCode.ERROR_CODE_INTERNAL : code;
  }

  /** The gRPC status code (a number, e.g. 14 for UNAVAILABLE) a node answers this code with. */
  public static int grpcStatus(ErrorCode code) {
    return GRPC.get(of(code));
  }

  /**
   * The code a client assumes for a gRPC error without the {@value #TRAILER} trailer (from a proxy
   * or load balancer): the first code mapped to that status in number order, except that
   * DEADLINE_EXCEEDED is {@code timeout} and UNAVAILABLE is {@code not_ready} (try another edge).
   */
  public static ErrorCode fromGrpcStatus(int status) {
    switch (status) {
      case GRPC_UNAUTHENTICATED:
        return ErrorCode.ERROR_CODE_UNAUTHENTICATED;
      case GRPC_PERMISSION_DENIED:
        return ErrorCode.ERROR_CODE_PERMISSION_DENIED;
      case GRPC_INVALID_ARGUMENT:
        return ErrorCode.ERROR_CODE_BAD_REQUEST;
      case GRPC_RESOURCE_EXHAUSTED:
        return ErrorCode.ERROR_CODE_RATE_LIMITED;
      case GRPC_FAILED_PRECONDITION:
        return ErrorCode.ERROR_CODE_FAILED_PRECONDITION;
      case GRPC_UNAVAILABLE:
        return ErrorCode.ERROR_CODE_NOT_READY;
      case GRPC_DEADLINE_EXCEEDED:
        return ErrorCode.ERROR_CODE_TIMEOUT;
      case GRPC_UNIMPLEMENTED:
        return ErrorCode.ERROR_CODE_UNKNOWN_METHOD;
      default:
        return ErrorCode.ERROR_CODE_INTERNAL;
    }
  }

  /**
   * The code a receiver answers a refused decode with: {@code unsupported_version} for an unknown
   * version, suite or frame version, {@code too_large} over the type's limit, {@code bad_request}
   * for everything else.
   */
  public static ErrorCode of(WireFormatException e) {
    switch (e.reason()) {
      case UNKNOWN_VERSION:
      case UNKNOWN_SUITE:
        return ErrorCode.ERROR_CODE_UNSUPPORTED_VERSION;
      case TOO_LARGE:
        return ErrorCode.ERROR_CODE_TOO_LARGE;
      default:
        return ErrorCode.ERROR_CODE_BAD_REQUEST;
    }
  }

  /** True for the codes after which the same request may go to another edge, or later. */
  public static boolean retryable(ErrorCode code) {
    return grpcStatus(code) == GRPC_UNAVAILABLE;
  }
}
