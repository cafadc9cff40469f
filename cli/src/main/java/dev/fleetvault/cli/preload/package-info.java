/**
 * The synthetic user population for scale benchmarks ({@code fleetvault preload}): users whose PIN
 * and secret are derived from a public seed, registered through the ordinary client protocol so
 * that every row and record they leave is one registration would leave, and later recovered for
 * real. Benchmark data only.
 */
package dev.fleetvault.cli.preload;
