/**
 * The register / recover / delete protocol of Fleetvault as explicit state machines: the
 * client side ({@link dev.fleetvault.protocol.flow.Registration},
 * {@link dev.fleetvault.protocol.flow.Recovery}, {@link dev.fleetvault.protocol.flow.Deletion})
 * and the member side ({@link dev.fleetvault.protocol.flow.MemberLogic}). Pure functions of
 * their inputs and the randomness passed in: no I/O, no clock. Byte-level specification:
 * docs/PROTOCOL.md.
 */
package dev.fleetvault.protocol.flow;
