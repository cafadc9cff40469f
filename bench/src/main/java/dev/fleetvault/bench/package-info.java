/**
 * JMH microbenchmarks (the load generator behind {@code fleetvault bench} is the loadgen module).
 */
package dev.fleetvault.bench;
