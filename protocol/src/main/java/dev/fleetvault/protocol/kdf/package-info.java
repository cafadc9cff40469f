/**
 * Key derivation and MACs: HKDF-SHA256 ({@link dev.fleetvault.protocol.kdf.Hkdf}) with labelled
 * derivations, HMAC-SHA256 ({@link dev.fleetvault.protocol.kdf.Hmac}).
 *
 * <h2>Guarantees</h2>
 *
 * Exactly RFC 5869 / RFC 2104 (checked against Wycheproof); labels are length-prefixed so distinct
 * labels never collide; MAC checks are constant-time.
 */
package dev.fleetvault.protocol.kdf;
