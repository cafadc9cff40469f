package dev.fleetvault.protocol.flow;

import dev.fleetvault.protocol.wire.PasskeyAssertion;

/**
 * Produces the WebAuthn assertion for one recovery attempt of a passkey entry (PROTOCOL.md 21.5):
 * {@code navigator.credentials.get()} with {@code challenge}, {@code allowCredentials =
 * [credentialId]}, {@code rpId} and user verification required. {@link Recovery} calls it once per
 * new attempt, from {@code afterRecover0}; a re-sent attempt reuses the assertion it got.
 */
@FunctionalInterface
public interface PasskeyAssertionSource {
  /** The assertion over {@code challenge}; throw to abandon the recovery (nothing was sent). */
  PasskeyAssertion assertionFor(PasskeyChallenge challenge);
}
