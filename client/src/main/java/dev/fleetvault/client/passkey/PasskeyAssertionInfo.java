package dev.fleetvault.client.passkey;

import java.util.Objects;

/**
 * A WebAuthn assertion as a platform returns it from {@code get()} (PROTOCOL.md 21.5): the exact
 * bytes of {@code rawId}, {@code authenticatorData}, {@code clientDataJSON}, {@code signature} and
 * {@code userHandle} (empty if none).
 */
public record PasskeyAssertionInfo(
    byte[] credentialId,
    byte[] authenticatorData,
    byte[] clientDataJson,
    byte[] signature,
    byte[] userHandle) {
  public PasskeyAssertionInfo {
    credentialId = Objects.requireNonNull(credentialId, "credentialId").clone();
    authenticatorData = Objects.requireNonNull(authenticatorData, "authenticatorData").clone();
    clientDataJson = Objects.requireNonNull(clientDataJson, "clientDataJson").clone();
    signature = Objects.requireNonNull(signature, "signature").clone();
    userHandle = userHandle == null ? new byte[0] : userHandle.clone();
  }

  @Override
  public byte[] credentialId() {
    return credentialId.clone();
  }

  @Override
  public byte[] authenticatorData() {
    return authenticatorData.clone();
  }

  @Override
  public byte[] clientDataJson() {
    return clientDataJson.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public byte[] userHandle() {
    return userHandle.clone();
  }
}
