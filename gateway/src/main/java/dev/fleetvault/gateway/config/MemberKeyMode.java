package dev.fleetvault.gateway.config;

/**
 * Where a member's two EC P-256 keys (HPKE/ECDH and command signing) live; YAML {@code
 * nodes[].hsm.member_keys}. The record-sealing AES-256 key is always inside the HSM.
 *
 * <p>There is no automatic choice and no fallback: a mode that does not fit the device stops
 * start-up with a message naming the other mode.
 */
public enum MemberKeyMode {
  /**
   * {@code in_hsm} (the default): the EC keys are generated inside the HSM, never leave it, and
   * ECDH and ECDSA run inside it. Needs an HSM with EC P-256 (GENERATE_EC_P256, ECDH_P256,
   * SIGN_ECDSA_P256).
   */
  IN_HSM("in_hsm"),
  /**
   * {@code wrapped}: only for HSMs WITHOUT EC P-256 (e.g. PyKMIP). The node generates the EC keys
   * in software, stores their PKCS#8 encodings sealed under the HSM's AES-256 key in its data dir,
   * and unseals them through the HSM into process memory at start-up. Cost: while the node runs,
   * the EC private keys are in its memory (ECDH and ECDSA happen outside the HSM); at rest they are
   * only as safe as the HSM key that seals them.
   */
  WRAPPED("wrapped");

  private final String yaml;

  MemberKeyMode(String yaml) {
    this.yaml = yaml;
  }

  /** The YAML spelling ({@code in_hsm} / {@code wrapped}). */
  public String yaml() {
    return yaml;
  }

  /** Parses the YAML spelling; null if it is not one. */
  public static MemberKeyMode parse(String value) {
    for (MemberKeyMode m : values()) {
      if (m.yaml.equals(value)) {
        return m;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return yaml;
  }
}
