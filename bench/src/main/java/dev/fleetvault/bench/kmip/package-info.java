/**
 * JMH benchmarks of the {@code kmip} driver against a local PyKMIP 0.10 server that the benchmark
 * starts itself ({@link dev.fleetvault.bench.kmip.PyKmipBenchServer}).
 */
package dev.fleetvault.bench.kmip;
