/**
 * Internals of the HPKE implementation (RFC 9180 labelled KDF, key schedule, context state). Not
 * API.
 *
 * <h2>Guarantees</h2>
 *
 * None beyond the public package's; may change without notice.
 */
package dev.fleetvault.protocol.hpke.impl;
