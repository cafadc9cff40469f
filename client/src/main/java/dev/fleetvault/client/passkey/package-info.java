/**
 * Passkeys in the SDK (PROTOCOL.md 21): the {@link dev.fleetvault.client.passkey.Authenticator} an
 * app implements over its platform's WebAuthn API, and the credential and assertion it hands over.
 */
package dev.fleetvault.client.passkey;
