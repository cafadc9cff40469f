package dev.fleetvault.protocol.oprf;

import java.security.GeneralSecurityException;

/**
 * A server's (or member's) DLEQ proof did not verify: its evaluation must not be used (RFC 9497
 * VerifyError).
 *
 * <h2>Guarantees</h2>
 *
 * Checked, so callers must decide what a bad proof means (exclude the member, report it). The
 * message contains no secret.
 */
public final class ProofVerificationException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public ProofVerificationException(String message) {
    super(message);
  }
}
