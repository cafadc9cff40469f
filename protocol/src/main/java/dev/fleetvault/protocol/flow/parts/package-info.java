/**
 * The parts the protocol's flows are built from, byte for byte as docs/PROTOCOL.md specifies:
 * derivations ({@link dev.fleetvault.protocol.flow.parts.Derive}), request and answer envelopes
 * ({@link dev.fleetvault.protocol.flow.parts.Envelopes}), the registration computation ({@link
 * dev.fleetvault.protocol.flow.parts.RegistrationMath}) and one client round trip ({@link
 * dev.fleetvault.protocol.flow.parts.ClientRound}). API: the flows use them, and so do tests and
 * benchmarks that craft requests themselves; each class states its guarantees.
 */
package dev.fleetvault.protocol.flow.parts;
