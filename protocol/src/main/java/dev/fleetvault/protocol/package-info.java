/**
 * The cryptography and wire messages of Fleetvault: RFC 9497 OPRF/VOPRF on P-256, Shamir sharing,
 * threshold OPRF, RFC 9180 HPKE, Argon2id PIN stretching, and the register / recover / delete state
 * machines. Pure functions over Bouncy Castle; no I/O.
 */
package dev.fleetvault.protocol;
