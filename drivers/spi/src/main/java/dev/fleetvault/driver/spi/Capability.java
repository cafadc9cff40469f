package dev.fleetvault.driver.spi;

/**
 * What a driver can do on its device. Drivers derive their capability set from the device itself
 * (for PKCS#11 the token's mechanism list), never from assumptions; calling an operation whose
 * capability is absent throws {@link HsmFatalException} of kind {@link
 * HsmException.Kind#UNSUPPORTED}.
 */
public enum Capability {
  /** Generate an AES-256 key ({@link KeySpec#AES_256}). */
  GENERATE_AES_256,
  /** Generate an EC P-256 key pair ({@link KeySpec#EC_P256}). */
  GENERATE_EC_P256,
  /** Generate an Ed25519 key pair ({@link KeySpec#ED25519}). */
  GENERATE_ED25519,
  /** Generate an RSA-2048 key pair ({@link KeySpec#RSA_2048}). */
  GENERATE_RSA_2048,
  /** AES-256-GCM seal/unseal with associated data. */
  SEAL_AES_GCM,
  /** ECDSA P-256 with SHA-256, DER signatures. */
  SIGN_ECDSA_P256,
  /** Ed25519 signatures (64 bytes raw). */
  SIGN_ED25519,
  /** RSASSA-PSS SHA-256 / MGF1-SHA-256 / salt 32 signatures. */
  SIGN_RSA_PSS,
  /** ECDH on P-256 inside the device, returning the 32-byte shared x-coordinate. */
  ECDH_P256,
  /** Random bytes from the device's generator. */
  RANDOM,
  /**
   * Generated keys survive {@link HsmDriver#close()} and a restart, and {@link HsmDriver#findKey}
   * finds them again.
   */
  PERSISTENT_KEYS,
  /**
   * {@link HsmDriver#keyProvenance} reads back from the device whether a key was generated there
   * and whether it can ever be extracted (PKCS#11: {@code CKA_LOCAL}, {@code CKA_NEVER_EXTRACTABLE}
   * ...).
   */
  KEY_PROVENANCE,
  /** {@link HsmDriver#attest} returns a device-signed key attestation in a named format. */
  KEY_ATTESTATION,
  /**
   * The driver implements {@link InsecureTestKeyImport} and it was enabled in configuration. Only
   * for the contract suite's known-answer tests (Wycheproof); never enable it in production.
   */
  INSECURE_TEST_KEY_IMPORT
}
