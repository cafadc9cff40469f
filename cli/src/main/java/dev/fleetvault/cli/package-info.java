/**
 * The {@code fleetvault} command (picocli): up, node, signer, register, recover, delete, status,
 * bundle, audit, bench.
 */
package dev.fleetvault.cli;
