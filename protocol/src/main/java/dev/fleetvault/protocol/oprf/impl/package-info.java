/**
 * Internals of the OPRF implementation (RFC 9497 hash functions and transcripts). Not API.
 *
 * <h2>Guarantees</h2>
 *
 * None beyond the public package's; may change without notice.
 */
package dev.fleetvault.protocol.oprf.impl;
