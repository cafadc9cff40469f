/**
 * PIN stretching with Argon2id ({@link dev.fleetvault.protocol.pin.Argon2id}) and named, versioned
 * parameter sets ({@link dev.fleetvault.protocol.pin.Argon2idParameters}).
 *
 * <h2>Guarantees</h2>
 *
 * RFC 9106 Argon2id (vector-checked); parameter set ids are stable; the cheap set says
 * INSECURE_TEST_ONLY in its name.
 */
package dev.fleetvault.protocol.pin;
