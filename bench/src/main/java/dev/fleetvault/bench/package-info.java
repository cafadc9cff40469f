/**
 * JMH microbenchmarks and the load generator.
 */
package dev.fleetvault.bench;
