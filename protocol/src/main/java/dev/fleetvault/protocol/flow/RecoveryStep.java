package dev.fleetvault.protocol.flow;

import java.util.Objects;

/**
 * What a {@link Recovery} wants next: send {@code request} to the edge, run phase 0 again, or stop
 * with a result.
 *
 * @param <R> the request type of the next round trip
 */
public sealed interface RecoveryStep<R>
    permits RecoveryStep.Send, RecoveryStep.Restart, RecoveryStep.Done {

  /** Send this request to the edge and feed its response to the next method. */
  record Send<R>(R request) implements RecoveryStep<R> {
    public Send {
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * Phase 1 found the registration changed since phase 0 (members answered VERSION_MISMATCH: a new
   * registration or a success landed in between). No guess was spent on it; call {@link
   * Recovery#recover0Request()} again and continue from there.
   */
  record Restart<R>() implements RecoveryStep<R> {}

  /** The recovery is over. */
  record Done<R>(RecoverResult result) implements RecoveryStep<R> {
    public Done {
      Objects.requireNonNull(result, "result");
    }
  }
}
