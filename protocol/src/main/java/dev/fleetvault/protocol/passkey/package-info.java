/**
 * Passkeys (PROTOCOL.md section 21): the passkey entry id, the PRF salt, the OPRF input of the
 * {@code passkey-prf-v1} parameter set, the attempt-bound challenge, the relying party, and the
 * {@link dev.fleetvault.protocol.passkey.PasskeyAssertionVerifier} the member core uses to gate
 * attempts. No I/O.
 */
package dev.fleetvault.protocol.passkey;
