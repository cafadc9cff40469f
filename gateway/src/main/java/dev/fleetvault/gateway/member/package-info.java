/**
 * The member role: this node's own member of the fleet. Opens its envelopes with ECDH inside
 * the HSM, commits its own signed ledger commands before it evaluates or releases anything,
 * keeps its records sealed under its HSM key, and seals its answers to the client.
 */
package dev.fleetvault.gateway.member;
