package dev.fleetvault.protocol.passkey;

/**
 * A passkey assertion failed a check of PROTOCOL.md 21.6. The member answers {@code
 * PASSKEY_REFUSED} and commits nothing; the message names the check, never a secret.
 */
public final class PasskeyRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  public PasskeyRefusedException(String message) {
    super(message);
  }

  public PasskeyRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
