package dev.fleetvault.driver.kmip.client;

/**
 * What Encrypt returned. Arrays are owned by the caller.
 *
 * @param data the ciphertext
 * @param iv the IV/nonce the server generated, or {@code null} when the client supplied one
 * @param tag the AEAD tag (KMIP 1.4), or {@code null}
 */
public record EncryptResult(byte[] data, byte[] iv, byte[] tag) {}
