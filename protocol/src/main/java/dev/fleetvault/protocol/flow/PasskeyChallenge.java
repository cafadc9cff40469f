package dev.fleetvault.protocol.flow;

import java.util.Objects;

/**
 * What a WebAuthn assertion for one recovery attempt must sign (PROTOCOL.md 21.5): the 32-byte
 * {@code challenge} bound to the attempt, for the credential {@code credentialId} of relying party
 * {@code rpId} that the members' records name.
 */
public record PasskeyChallenge(byte[] challenge, byte[] credentialId, String rpId) {
  public PasskeyChallenge {
    challenge = Objects.requireNonNull(challenge, "challenge").clone();
    credentialId = Objects.requireNonNull(credentialId, "credentialId").clone();
    Objects.requireNonNull(rpId, "rpId");
  }

  @Override
  public byte[] challenge() {
    return challenge.clone();
  }

  @Override
  public byte[] credentialId() {
    return credentialId.clone();
  }
}
