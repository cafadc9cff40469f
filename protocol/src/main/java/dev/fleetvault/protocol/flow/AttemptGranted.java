package dev.fleetvault.protocol.flow;

import java.util.Arrays;
import java.util.Objects;

/**
 * Proof, obtained by the gateway from the ledger, that this member's signed
 * {@code attempt(user, attemptId)} command was committed by a majority and was within the
 * guess limit. {@link MemberLogic#recover1Granted} evaluates the OPRF only when handed one
 * whose {@code attemptId} equals the attempt id of the request.
 *
 * @param attemptId the 32-byte attempt id the ledger committed
 * @param guessesRemaining guesses left after counting this attempt (0..L-1)
 */
public record AttemptGranted(byte[] attemptId, int guessesRemaining) {
  public AttemptGranted {
    Objects.requireNonNull(attemptId, "attemptId");
    if (attemptId.length != 32) {
      throw new IllegalArgumentException("attemptId must be 32 bytes");
    }
    if (guessesRemaining < 0) {
      throw new IllegalArgumentException("guessesRemaining must be >= 0");
    }
    attemptId = attemptId.clone();
  }

  @Override
  public byte[] attemptId() {
    return attemptId.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttemptGranted a && Arrays.equals(attemptId, a.attemptId) && guessesRemaining == a.guessesRemaining;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(attemptId) * 31 + guessesRemaining;
  }

  @Override
  public String toString() {
    return "AttemptGranted[guessesRemaining=" + guessesRemaining + "]";
  }
}
