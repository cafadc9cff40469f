/**
 * Scale benchmarks: what one user costs the ledger's replicated state (heap, snapshot bytes,
 * snapshot install time).
 */
package dev.fleetvault.bench.scale;
