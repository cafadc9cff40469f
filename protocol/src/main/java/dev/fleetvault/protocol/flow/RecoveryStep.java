package dev.fleetvault.protocol.flow;

import java.util.Objects;

/**
 * What a {@link Recovery} wants next: send {@code request} to the edge, or stop with a
 * result.
 *
 * @param <R> the request type of the next round trip
 */
public sealed interface RecoveryStep<R> permits RecoveryStep.Send, RecoveryStep.Done {

  /** Send this request to the edge and feed its response to the next method. */
  record Send<R>(R request) implements RecoveryStep<R> {
    public Send {
      Objects.requireNonNull(request, "request");
    }
  }

  /** The recovery is over. */
  record Done<R>(RecoverResult result) implements RecoveryStep<R> {
    public Done {
      Objects.requireNonNull(result, "result");
    }
  }
}
