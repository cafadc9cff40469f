/** JMH benchmarks of bundle verification and audit-log proofs. */
package dev.fleetvault.bench.bundles;
