/**
 * Who may call: app-token (JWT) verification, with a per-node cache of verified tokens (until each
 * token's {@code exp}), and per-user / per-address rate limits (per edge).
 */
package dev.fleetvault.gateway.auth;
