package dev.fleetvault.driver.pkcs11.impl;

import dev.fleetvault.driver.spi.Capability;
import java.security.Provider;
import java.util.EnumSet;
import java.util.Set;

/**
 * Capabilities of a token as SunPKCS11 sees it. SunPKCS11 registers an algorithm only when the
 * token's mechanism list (C_GetMechanismInfo) has the mechanisms behind it, so the services of the
 * configured provider instance are the token's capabilities.
 */
final class Pkcs11Capabilities {

  static final String GCM = "AES/GCM/NoPadding";
  static final String ECDSA = "SHA256withECDSA";
  static final String RSA_PSS = "SHA256withRSASSA-PSS";
  static final String RSA_CERT = "SHA256withRSA";

  private Pkcs11Capabilities() {}

  static Set<Capability> read(Provider p, boolean allowImport) {
    EnumSet<Capability> c = EnumSet.noneOf(Capability.class);
    boolean keyStore = has(p, "KeyStore", "PKCS11");
    boolean ecdsa = has(p, "Signature", ECDSA);
    if (has(p, "KeyGenerator", "AES") && keyStore) {
      c.add(Capability.GENERATE_AES_256);
    }
    if (has(p, "Cipher", GCM)) {
      c.add(Capability.SEAL_AES_GCM);
    }
    if (has(p, "KeyPairGenerator", "EC") && ecdsa && keyStore) {
      c.add(
          Capability
              .GENERATE_EC_P256); // its placeholder certificate is signed with ECDSA on the token
    }
    if (ecdsa) {
      c.add(Capability.SIGN_ECDSA_P256);
    }
    if (has(p, "KeyAgreement", "ECDH")) {
      c.add(Capability.ECDH_P256);
    }
    if (has(p, "KeyPairGenerator", "RSA") && has(p, "Signature", RSA_CERT) && keyStore) {
      c.add(Capability.GENERATE_RSA_2048);
    }
    if (has(p, "Signature", RSA_PSS)) {
      c.add(Capability.SIGN_RSA_PSS);
    }
    if (has(p, "SecureRandom", "PKCS11")) {
      c.add(Capability.RANDOM);
    }
    if (keyStore) {
      c.add(Capability.PERSISTENT_KEYS);
    }
    if (allowImport && has(p, "KeyFactory", "EC")) {
      c.add(Capability.INSECURE_TEST_KEY_IMPORT);
    }
    // SunPKCS11 in JDK 17 has no EdDSA: GENERATE_ED25519 / SIGN_ED25519 are never reported.
    return Set.copyOf(c);
  }

  private static boolean has(Provider p, String type, String alg) {
    return p.getService(type, alg) != null;
  }
}
