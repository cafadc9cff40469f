/**
 * The P-256 group: validated {@link dev.fleetvault.protocol.group.Scalar} and {@link
 * dev.fleetvault.protocol.group.GroupElement} types, their SEC1 codecs, and software ECDH.
 *
 * <h2>Guarantees</h2>
 *
 * Every decoder validates fully (length, range, curve equation, not the identity) and throws the
 * unchecked {@link dev.fleetvault.protocol.group.InvalidEncodingException}; a decoded value is
 * always safe to compute with. Math runs on Bouncy Castle's SecP256R1Curve (not constant-time).
 */
package dev.fleetvault.protocol.group;
