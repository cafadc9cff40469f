/**
 * The member role: this node's own member of the fleet. {@link
 * dev.fleetvault.gateway.member.MemberService} is a thin interpreter of the protocol's member core
 * ({@code MemberLogic}): it validates the envelope key before the HSM, opens envelopes with ECDH
 * inside the HSM, reads this member's row, unseals its record (checked against the ledger's
 * digest), commits its own signed ledger commands, and hands the core the commit witness its own
 * replica produced; only the core evaluates or releases, and only against that witness. Rows and
 * records live under {@code LedgerKeys.of(app, user)}. The phase-1 answer cache ({@code
 * ReplayGuard}) and the last-guess copies ({@code FinalRecords}) are in memory only and never stand
 * in for the ledger. The registration policy comes from the configuration's {@code registration:}
 * section ({@link dev.fleetvault.gateway.member.RegistrationPolicies}).
 */
package dev.fleetvault.gateway.member;
