/**
 * Quorum ledger benchmark: committed attempts per second on a 3-node loopback cluster of separate
 * processes with fsync ({@link dev.fleetvault.bench.quorum.QuorumLedgerBench}).
 */
package dev.fleetvault.bench.quorum;
