/**
 * Shamir secret sharing over the P-256 scalar field ({@link
 * dev.fleetvault.protocol.shamir.Shamir}).
 *
 * <h2>Guarantees</h2>
 *
 * Any t of n shares reconstruct; t-1 reveal nothing; interpolation works on scalars and on group
 * elements (for threshold OPRF evaluations). Property-tested with jqwik.
 */
package dev.fleetvault.protocol.shamir;
