package dev.fleetvault.client.passkey;

import java.util.Objects;

/**
 * A WebAuthn credential as a platform returns it at creation (PROTOCOL.md 21.3): the credential id
 * ({@code rawId}), the public key as DER SubjectPublicKeyInfo ({@code getPublicKey()}), its COSE
 * algorithm ({@code getPublicKeyAlgorithm()}: -7 ES256, -8 EdDSA, -257 RS256) and the {@code
 * user.id} given to {@code create()}.
 */
public record PasskeyCredentialInfo(
    byte[] credentialId, byte[] spkiPublicKey, int algorithm, byte[] userHandle) {
  public PasskeyCredentialInfo {
    credentialId = Objects.requireNonNull(credentialId, "credentialId").clone();
    spkiPublicKey = Objects.requireNonNull(spkiPublicKey, "spkiPublicKey").clone();
    userHandle = Objects.requireNonNull(userHandle, "userHandle").clone();
  }

  @Override
  public byte[] credentialId() {
    return credentialId.clone();
  }

  @Override
  public byte[] spkiPublicKey() {
    return spkiPublicKey.clone();
  }

  @Override
  public byte[] userHandle() {
    return userHandle.clone();
  }
}
