package dev.fleetvault.gateway.config;

import java.security.PublicKey;
import java.util.List;

/**
 * An app allowed to call the vault. Its tokens are ES256 JWTs with {@code iss} equal to
 * {@link #id()}, verified against any of {@link #publicKeys()}.
 *
 * @param id the app id, the expected {@code iss} claim
 * @param publicKeys the app's P-256 token-signing keys (several during a key rotation)
 * @param publicKeyPems the same keys as PEM text (what vertx-auth-jwt consumes)
 */
public record AppSpec(String id, List<PublicKey> publicKeys, List<String> publicKeyPems) {}
