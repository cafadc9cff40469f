/**
 * The Fleetvault node. Read it top-down, following a request:
 *
 * <ol>
 *   <li>{@link dev.fleetvault.gateway.config} — the strict YAML ({@code NodeConfig}) naming the
 *       fleet's members, the apps allowed to call, limits, and the node(s) to start.
 *   <li>{@link dev.fleetvault.gateway.FleetvaultNode} (one node) and {@link
 *       dev.fleetvault.gateway.LocalFleet} (all nodes of a file in one JVM) start everything;
 *       {@link dev.fleetvault.gateway.NodeMain} is the process entry point.
 *   <li>{@link dev.fleetvault.gateway.edge} — a client's gRPC call or WebSocket frame arrives at
 *       the edge ({@code EdgeVerticle}: one HTTP server with gRPC, {@code /v1/ws} and the {@link
 *       dev.fleetvault.gateway.http} routes); {@code EdgeService} checks it with {@link
 *       dev.fleetvault.gateway.auth} (app token, rate limits) and fans the sealed per-member
 *       envelopes out.
 *   <li>{@link dev.fleetvault.gateway.peer} — the internal {@code Member} gRPC service over mutual
 *       TLS carries each envelope to its member node.
 *   <li>{@link dev.fleetvault.gateway.member} — the member opens it with ECDH in its HSM (through
 *       the {@link dev.fleetvault.gateway.hsm} worker executor), commits its own signed ledger
 *       command through the quorum, evaluates, and seals the answer back; the protocol arithmetic
 *       and token checks run on the {@link dev.fleetvault.gateway.crypto} worker pool, never on the
 *       event loop.
 *   <li>{@link dev.fleetvault.gateway.errors} — every failure becomes one stable code, mapped to
 *       gRPC status or a WebSocket error frame in one place.
 * </ol>
 */
package dev.fleetvault.gateway;
