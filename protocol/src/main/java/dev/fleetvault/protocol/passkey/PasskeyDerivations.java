package dev.fleetvault.protocol.passkey;

import dev.fleetvault.protocol.flow.parts.Derive;
import dev.fleetvault.protocol.kdf.Hmac;
import dev.fleetvault.protocol.secret.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The passkey derivations of PROTOCOL.md 21.2 and 21.5.
 *
 * <h2>Guarantees</h2>
 *
 * Deterministic, no I/O. Every variable-length input is length-prefixed ({@code lp}) and every hash
 * is domain-separated by its own label, so the values cannot collide with each other or with
 * section 6's.
 */
public final class PasskeyDerivations {
  /** The PIN parameter set id of a passkey entry: no stretching, the input already has 256 bits. */
  public static final String PIN_PARAMS_ID = "passkey-prf-v1";

  /** Length of the PRF output, the salt and the challenge. */
  public static final int LENGTH = 32;

  private PasskeyDerivations() {}

  /** Whether {@code pinParams} names the passkey input ({@link #PIN_PARAMS_ID}). */
  public static boolean isPasskeyParams(String pinParams) {
    return PIN_PARAMS_ID.equals(pinParams);
  }

  /**
   * {@code prf_salt = SHA-256(L("passkey prf salt") || lp(fleet) || lp(app) || lp(u))}, with {@code
   * appUserId} the app's user id (not the passkey entry id).
   */
  public static byte[] prfSalt(String fleetId, String appId, byte[] appUserId) {
    byte[] u = PasskeyEntry.appUserOf(Objects.requireNonNull(appUserId, "appUserId"));
    return Hmac.sha256Digest(
        Derive.concat(
            Derive.label("passkey prf salt"),
            Derive.lp(utf8(fleetId)),
            Derive.lp(utf8(appId)),
            Derive.lp(u)));
  }

  /**
   * The OPRF input {@code p' = HMAC-SHA256(key = prf, msg = pin_salt)} of the {@code
   * passkey-prf-v1} set, {@code pin_salt} as PROTOCOL.md 6.1.
   *
   * @throws IllegalArgumentException if the PRF output is not 32 bytes
   */
  public static SecretBytes oprfInput(SecretBytes prfOutput, byte[] pinSalt) {
    if (prfOutput.length() != LENGTH) {
      throw new IllegalArgumentException(
          "a passkey PRF output must be " + LENGTH + " bytes, got " + prfOutput.length());
    }
    return SecretBytes.wrap(Hmac.sha256(prfOutput, pinSalt));
  }

  /**
   * {@code passkey_challenge = SHA-256(L("passkey challenge") || lp(u_pk) || I2OSP(version, 8) ||
   * attempt_id)}: the WebAuthn challenge that binds an assertion to one attempt.
   */
  public static byte[] challenge(byte[] entryUserId, long recordVersion, byte[] attemptId) {
    if (attemptId == null || attemptId.length != LENGTH) {
      throw new IllegalArgumentException("attempt id must be " + LENGTH + " bytes");
    }
    return Hmac.sha256Digest(
        Derive.concat(
            Derive.label("passkey challenge"),
            Derive.lp(entryUserId),
            Derive.i2osp(recordVersion, 8),
            attemptId));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
