/**
 * Wipeable holders for secret bytes ({@link dev.fleetvault.protocol.secret.SecretBytes}).
 *
 * <h2>Guarantees</h2>
 *
 * Types here never print their content in {@code toString()} or exception messages and can be
 * wiped. Java cannot guarantee no other copies exist (GC moves, BigInteger temporaries); wiping
 * bounds the lifetime of the copies this code controls.
 */
package dev.fleetvault.protocol.secret;
