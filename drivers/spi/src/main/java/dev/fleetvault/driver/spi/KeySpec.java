package dev.fleetvault.driver.spi;

/**
 * The key types a driver can generate inside its device. Each names the operations it serves and
 * the capability a driver must report to generate it.
 */
public enum KeySpec {
  /** AES-256 secret key for {@link HsmDriver#seal}/{@link HsmDriver#unseal} (AES-GCM). */
  AES_256(Capability.GENERATE_AES_256),
  /**
   * EC P-256 key pair for ECDSA ({@link HsmDriver#sign}, SHA256withECDSA, DER) and {@link
   * HsmDriver#ecdh}.
   */
  EC_P256(Capability.GENERATE_EC_P256),
  /** Ed25519 key pair for {@link HsmDriver#sign} (RFC 8032, 64-byte raw signature). */
  ED25519(Capability.GENERATE_ED25519),
  /**
   * RSA-2048 key pair for {@link HsmDriver#sign} (RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32),
   * where EC is missing.
   */
  RSA_2048(Capability.GENERATE_RSA_2048);

  private final Capability generateCapability;

  KeySpec(Capability generateCapability) {
    this.generateCapability = generateCapability;
  }

  /** The capability a driver reports when it can generate keys of this type. */
  public Capability generateCapability() {
    return generateCapability;
  }
}
