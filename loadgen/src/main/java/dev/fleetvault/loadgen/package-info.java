/**
 * The load generator behind {@code fleetvault bench}: registers users, then recovers them from many
 * concurrent callers for a fixed time through the client SDK, and reports throughput, latency
 * percentiles (HdrHistogram) and the crypto ceiling measured in the same process.
 */
package dev.fleetvault.loadgen;
