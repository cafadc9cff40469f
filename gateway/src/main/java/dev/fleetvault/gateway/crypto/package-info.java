/**
 * The node's CPU-bound crypto pool: {@link dev.fleetvault.gateway.crypto.CryptoExecutor} runs the
 * member role's HPKE/OPRF work and app-token (ES256) verification off the event loop, on a named
 * worker pool separate from the HSM executor.
 */
package dev.fleetvault.gateway.crypto;
