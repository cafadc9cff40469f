package dev.fleetvault.client.passkey;

/**
 * The app's WebAuthn authenticator, as the SDK needs it for passkey entries (PROTOCOL.md 21). An
 * app implements it over its platform's WebAuthn API (Android Credential Manager, the browser's
 * {@code navigator.credentials}, ...); the SDK never sees a private key.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link #credential()} describes the credential to register (created for the app's rp id
 *       with user verification required and the PRF extension enabled).
 *   <li>{@link #prf} is {@code get()} with {@code extensions.prf.eval.first = salt}: the 32-byte
 *       PRF output. It is a secret like a PIN; the SDK wipes its copy after use.
 *   <li>{@link #assertion} is {@code get()} with the given challenge, {@code allowCredentials =
 *       [credentialId]}, {@code rpId} and {@code userVerification = "required"}. Each recovery asks
 *       for one PRF output and then one assertion (two ceremonies: the challenge depends on the PRF
 *       output, PROTOCOL.md 21.5).
 *   <li>Methods may block (they wait for the user); the SDK calls them on a worker thread.
 * </ul>
 */
public interface Authenticator {
  /** The credential to register. */
  PasskeyCredentialInfo credential();

  /** The PRF output (32 bytes) for {@code salt} (32 bytes). */
  byte[] prf(byte[] salt);

  /**
   * An assertion over {@code challenge} (32 bytes) by credential {@code credentialId} of {@code
   * rpId}.
   */
  PasskeyAssertionInfo assertion(byte[] challenge, byte[] credentialId, String rpId);
}
