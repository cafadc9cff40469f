/**
 * Threshold OPRF over P-256 (as in Juicebox / SVR3): the root key k is Shamir-shared among n
 * members; member i answers {@code Z_i = k_i·B} with a DLEQ proof against {@code K_i = k_i·G}; the
 * client combines any t verified answers in the exponent and finalizes as RFC 9497 OPRF.
 *
 * <h2>Guarantees</h2>
 *
 * The threshold output equals the single-key RFC 9497 OPRF output under k; a member with a bad
 * answer is identified and excluded without affecting the result. Member proofs use the RFC 9497
 * VOPRF context string {@code "OPRFV1-\x01-P256-SHA256"}; blinding and finalization use the OPRF
 * (mode 0) context string.
 */
package dev.fleetvault.protocol.threshold;
