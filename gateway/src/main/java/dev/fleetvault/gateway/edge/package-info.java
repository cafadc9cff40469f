/**
 * The edge role: the client-facing gRPC {@code Vault} service and the {@code /v1/ws} WebSocket
 * transport on one HTTP server per node, both handing requests to {@code EdgeService}, which fans
 * the client's sealed per-member requests out to the members and the sealed answers back.
 */
package dev.fleetvault.gateway.edge;
