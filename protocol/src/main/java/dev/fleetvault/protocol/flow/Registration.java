package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.secret.SecretBytes;
import dev.fleetvault.protocol.wire.Register1Request;
import dev.fleetvault.protocol.wire.Register1Response;
import dev.fleetvault.protocol.wire.Register2Request;
import dev.fleetvault.protocol.wire.Register2Response;
import java.security.SecureRandom;

/**
 * Client side of registration (PROTOCOL.md "Registration"): a single-use state machine.
 * {@link #register1Request()} → edge → {@link #register2Request(Register1Response)} → edge →
 * {@link #finish(Register2Response)}.
 *
 * <h2>Guarantees</h2>
 * No I/O and no clock: all randomness comes from the {@link SecureRandom} passed in. Every
 * per-member payload is HPKE-sealed to that member's key with the user, member, phase,
 * version and suite bound in; the edge sees none of it. Methods must be called in order, once
 * each ({@link IllegalStateException} otherwise). Secrets are wiped when {@link #finish}
 * returns or throws.
 */
public final class Registration {
  private Registration() {}

  /**
   * Starts a registration of {@code secret} (1..128 bytes) behind {@code pin} (its UTF-8
   * bytes) for {@code userId} (1..128 bytes) with guess limit {@code guessLimit} (1..100).
   * Copies pin and secret; the caller keeps ownership of its holders.
   */
  public static Registration begin(RealmConfig realm, byte[] userId, SecretBytes pin, SecretBytes secret,
      int guessLimit, SecureRandom random) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Round 1: ask every member for its current record version. */
  public Register1Request register1Request() {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Round 2: picks version = 1 + the highest current version reported (needs at least t
   * authenticated answers, else {@link InsufficientAnswersException}), runs Argon2id and the
   * OPRF, and seals each member's share record.
   */
  public Register2Request register2Request(Register1Response response) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Registered at the version if at least t members confirmed; otherwise a conflict or an exception. */
  public RegisterResult finish(Register2Response response) {
    throw new UnsupportedOperationException("not yet");
  }
}
