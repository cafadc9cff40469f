package dev.fleetvault.client.impl;

import io.vertx.grpc.common.GrpcStatus;

/** The node's stable error codes (gateway {@code ErrorCode} wire names) and the gRPC fallback mapping. */
final class ErrorCodes {
    /** gRPC trailer carrying the node's error code. */
    static final String TRAILER = "fleetvault-error";

    private ErrorCodes() {
    }

    /** The code for a gRPC status when the trailer is missing (e.g. an error from a proxy). */
    static String fromGrpcStatus(GrpcStatus status) {
        switch (status) {
            case UNAUTHENTICATED:
                return "unauthenticated";
            case PERMISSION_DENIED:
                return "permission_denied";
            case INVALID_ARGUMENT:
                return "bad_request";
            case RESOURCE_EXHAUSTED:
                return "rate_limited";
            case FAILED_PRECONDITION:
                return "failed_precondition";
            case UNAVAILABLE:
                return "unavailable";
            case DEADLINE_EXCEEDED:
                return "timeout";
            case UNIMPLEMENTED:
                return "unknown_method";
            default:
                return "internal";
        }
    }
}
