/**
 * Fleet artifacts, validation bundles, audit-log checkpoints and Merkle proofs: formats and
 * verification, no I/O.
 */
package dev.fleetvault.bundles;
