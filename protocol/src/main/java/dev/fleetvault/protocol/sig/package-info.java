/**
 * Signatures the protocol verifies in software: ECDSA P-256/SHA-256 ({@link
 * dev.fleetvault.protocol.sig.EcdsaP256}), used by quorum replicas and gateways to check
 * member-signed commands.
 *
 * <h2>Guarantees</h2>
 *
 * Verification is total (malformed input is "not valid", never an exception) and deterministic.
 */
package dev.fleetvault.protocol.sig;
