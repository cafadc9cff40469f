package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.Recover0Request;
import dev.fleetvault.protocol.wire.Recover0Response;
import dev.fleetvault.protocol.wire.Recover1Request;
import dev.fleetvault.protocol.wire.Recover1Response;
import dev.fleetvault.protocol.wire.Recover2Request;
import dev.fleetvault.protocol.wire.Recover2Response;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Client side of recovery (PROTOCOL.md "Recovery"): a single-use state machine over three
 * round trips.
 * <ol>
 *   <li>{@link #recover0Request()}; {@link #afterRecover0(Recover0Response)}: majority
 *       agreement on version, salt, commitments (free, no guess spent); Argon2id; blinding.
 *   <li>{@link #afterRecover1(Recover1Response)}: verifies each DLEQ proof against that
 *       member's commitment, combines t valid evaluations, unblinds, derives the unlock and
 *       mask keys.
 *   <li>{@link #afterRecover2(Recover2Response)}: unmasks t shares, rebuilds D, decrypts s.
 * </ol>
 *
 * <h2>Guarantees</h2>
 * No I/O, no clock; randomness only from the {@link SecureRandom} passed in. A member whose
 * answer does not open, disagrees with the majority, or carries a bad proof is excluded and
 * listed in {@link #flaggedMembers()}, never trusted, and costs no extra guess. Fewer than t
 * usable answers in a phase throws {@link InsufficientAnswersException}. Every request goes to
 * every agreeing member, so honest members count guesses in lockstep. Secrets are wiped when
 * a {@link RecoveryStep.Done} is returned or an exception is thrown.
 */
public final class Recovery {
  private Recovery() {}

  /** Starts a recovery for {@code userId} with {@code pin} (its UTF-8 bytes; copied). */
  public static Recovery begin(RealmConfig realm, byte[] userId, SecretBytes pin, SecureRandom random) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Phase 0 request: sealed to every member of the realm. */
  public Recover0Request recover0Request() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Phase 0 answers in; phase 1 request out, or Done(NotRegistered | NoGuesses). */
  public RecoveryStep<Recover1Request> afterRecover0(Recover0Response response) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Phase 1 answers in; phase 2 request out, or Done(NoGuesses | NotRegistered). */
  public RecoveryStep<Recover2Request> afterRecover1(Recover1Response response) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Phase 2 answers in; the result. */
  public RecoverResult afterRecover2(Recover2Response response) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Members excluded so far (disagreement, unopenable answers, bad proofs, bad shares). */
  public Set<Integer> flaggedMembers() {
    throw new UnsupportedOperationException("not yet");
  }
}
