package dev.fleetvault.protocol.passkey;

import dev.fleetvault.protocol.wire.PasskeyAssertion;
import dev.fleetvault.protocol.wire.PasskeyCredential;
import dev.fleetvault.protocol.wire.PasskeyRecord;

/**
 * Verifies WebAuthn for the member core (PROTOCOL.md 21.3 and 21.6). The member core ({@code
 * MemberLogic}) calls it before it names any ledger command, so an attempt on a passkey entry is
 * counted only after the assertion verified. The implementation is a WebAuthn library ({@link
 * #webauthn4j()}); no CBOR or COSE is parsed by hand.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@link #verify} returns normally only if every check of PROTOCOL.md 21.6 passed: the
 *       credential id is the record's; client data type {@code webauthn.get}, challenge equal to
 *       {@code challenge}, origin among the record's allowed origins, not cross-origin; rp id hash
 *       of the record's rp id; user present and user verified flags; the signature over {@code
 *       authenticatorData || SHA-256(clientDataJSON)} verifies with the record's key; a non-empty
 *       user handle equals the record's.
 *   <li>Otherwise it throws {@link PasskeyRefusedException} naming the failed check (never a
 *       secret). It has no side effect either way, and keeps no state (no signature counter).
 *   <li>Implementations are thread-safe.
 * </ul>
 */
public interface PasskeyAssertionVerifier {
  /**
   * The credential's public key as a COSE_Key: {@code cose_public_key} checked, or {@code
   * spki_public_key} converted; only ES256, EdDSA (Ed25519) and RS256 keys.
   *
   * @throws IllegalArgumentException if the key does not parse, is not exactly one of the two
   *     forms, or uses another algorithm
   */
  byte[] coseKey(PasskeyCredential credential);

  /**
   * Verifies {@code assertion} against {@code record} and the expected {@code challenge}.
   *
   * @throws PasskeyRefusedException naming the first check that failed
   */
  void verify(PasskeyRecord record, PasskeyAssertion assertion, byte[] challenge)
      throws PasskeyRefusedException;

  /** The verifier backed by webauthn4j ({@code WebAuthnManager.verify}). */
  static PasskeyAssertionVerifier webauthn4j() {
    return dev.fleetvault.protocol.passkey.impl.Webauthn4jVerifier.INSTANCE;
  }
}
