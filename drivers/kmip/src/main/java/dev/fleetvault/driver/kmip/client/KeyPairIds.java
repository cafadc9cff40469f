package dev.fleetvault.driver.kmip.client;

/**
 * The two objects CreateKeyPair made.
 *
 * @param privateKeyId Unique Identifier of the private key
 * @param publicKeyId Unique Identifier of the public key
 */
public record KeyPairIds(String privateKeyId, String publicKeyId) {}
