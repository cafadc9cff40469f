/**
 * JMH benchmarks of the protocol primitives (threshold OPRF, DLEQ, HPKE, Argon2id, ECDSA).
 *
 * <h2>Guarantees</h2>
 *
 * Measurement only; nothing here is used at run time.
 */
package dev.fleetvault.bench.protocol;
