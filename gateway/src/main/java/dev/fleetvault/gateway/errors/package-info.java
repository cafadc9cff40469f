/**
 * Stable error codes and the single mapping from outcomes to gRPC status and WebSocket error
 * frames.
 */
package dev.fleetvault.gateway.errors;
