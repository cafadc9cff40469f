/**
 * RFC 9180 HPKE base mode, DHKEM(P-256, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM ({@link
 * dev.fleetvault.protocol.hpke.Hpke}), including recipient setup from an HSM-computed ECDH result.
 *
 * <h2>Guarantees</h2>
 *
 * Byte-exact with RFC 9180 Appendix A.3 and interoperable with Bouncy Castle's own HPKE (tested).
 * The key schedule is implemented here on Bouncy Castle HKDF and AES-GCM because Bouncy Castle's
 * {@code HPKE} class cannot accept a DH result computed outside it.
 */
package dev.fleetvault.protocol.hpke;
