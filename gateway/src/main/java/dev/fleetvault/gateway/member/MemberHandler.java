package dev.fleetvault.gateway.member;

import dev.fleetvault.gateway.auth.Caller;
import dev.fleetvault.protocol.wire.MemberRequest;
import dev.fleetvault.protocol.wire.MemberResponse;
import dev.fleetvault.protocol.wire.Phase;
import io.vertx.core.Future;

/**
 * The member role for one phase of one user's request: opens the sealed request addressed to this
 * member, acts (committing its own signed ledger commands first where a guess or a state change is
 * involved) and seals the answer. The caller's token was already verified by this member (not only
 * by the edge) and the request's user id matched it.
 */
@FunctionalInterface
public interface MemberHandler {
  /** Handles {@code request} for {@code phase}; fails with a FleetvaultException code. */
  Future<MemberResponse> handle(Phase phase, MemberRequest request, Caller caller);
}
