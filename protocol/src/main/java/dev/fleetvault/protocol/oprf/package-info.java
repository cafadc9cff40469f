/**
 * RFC 9497 oblivious pseudorandom functions, suite P256-SHA256, modes OPRF and VOPRF ({@link
 * dev.fleetvault.protocol.oprf.OprfClient}, {@link dev.fleetvault.protocol.oprf.OprfServer}, {@link
 * dev.fleetvault.protocol.oprf.Dleq}). POPRF is not implemented (Fleetvault does not use it).
 *
 * <h2>Guarantees</h2>
 *
 * Byte-exact with RFC 9497 (every P256-SHA256 OPRF/VOPRF vector, batches included); hashing to the
 * curve is Bouncy Castle's RFC 9380 {@code P256_XMD:SHA-256_SSWU_RO_}. Randomness is always
 * injectable (a {@code SecureRandom} or the scalar itself) so runs can be reproduced.
 */
package dev.fleetvault.protocol.oprf;
