/**
 * Log context across thread hops: the SLF4J MDC of the submitting thread (a request's id) carried
 * into executor tasks and callbacks, and cleared after them ({@link
 * dev.fleetvault.gateway.logging.LogContext}).
 */
package dev.fleetvault.gateway.logging;
