/**
 * Authenticated encryption: AES-GCM ({@link dev.fleetvault.protocol.aead.AesGcm}).
 *
 * <h2>Guarantees</h2>
 *
 * Decryption either authenticates or throws {@link javax.crypto.AEADBadTagException}; no
 * unauthenticated plaintext is returned.
 */
package dev.fleetvault.protocol.aead;
