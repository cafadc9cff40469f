package dev.fleetvault.gateway.config;

import dev.fleetvault.protocol.passkey.RelyingParty;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

/**
 * An app allowed to call the vault. Its tokens are ES256 JWTs with {@code iss} equal to {@link
 * #id()}, {@code aud} naming {@link #audience()}, and {@code exp - iat} at most {@link
 * #maxTokenLifetimeSeconds()}, verified against any of {@link #publicKeys()} (PROTOCOL.md section
 * 15).
 *
 * @param id the app id, the expected {@code iss} claim (no {@code /})
 * @param publicKeys the app's P-256 token-signing keys (several during a key rotation)
 * @param publicKeyPems the same keys as PEM text (what vertx-auth-jwt consumes)
 * @param audience the expected {@code aud}: {@code apps[].audience}, default the fleet id
 * @param maxTokenLifetimeSeconds the longest {@code exp - iat} accepted: {@code
 *     apps[].max_token_lifetime_seconds}, default {@link #DEFAULT_MAX_TOKEN_LIFETIME}
 * @param passkey the app's WebAuthn relying party ({@code apps[].passkey}: rp id and allowed
 *     origins, PROTOCOL.md 21.7); empty: the members refuse passkey registrations for this app
 */
public record AppSpec(
    String id,
    List<PublicKey> publicKeys,
    List<String> publicKeyPems,
    String audience,
    long maxTokenLifetimeSeconds,
    Optional<RelyingParty> passkey) {
  /** 24 hours. */
  public static final long DEFAULT_MAX_TOKEN_LIFETIME = 24 * 3600;

  /** An app without passkeys. */
  public AppSpec(
      String id,
      List<PublicKey> publicKeys,
      List<String> publicKeyPems,
      String audience,
      long maxTokenLifetimeSeconds) {
    this(id, publicKeys, publicKeyPems, audience, maxTokenLifetimeSeconds, Optional.empty());
  }
}
