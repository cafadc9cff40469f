package dev.fleetvault.driver.spi;

import java.security.KeyPair;

/**
 * Optional, test-only: import a known key pair so the contract suite can run known-answer tests
 * (Wycheproof ECDSA/ECDH vectors) through the driver. A driver implements this only where the
 * device can import keys, and reports {@link Capability#INSECURE_TEST_KEY_IMPORT} only when the
 * configuration explicitly enables it; otherwise {@link #importKeyPairInsecureTestOnly} throws kind
 * {@link HsmException.Kind#UNSUPPORTED}. Imported keys are temporary (session objects where the
 * device has them) and are never usable in production configurations.
 */
public interface InsecureTestKeyImport {

  /**
   * Imports {@code pair} (EC P-256 only) under {@code label} as a temporary key and returns its
   * handle.
   */
  KeyHandle importKeyPairInsecureTestOnly(KeySpec spec, String label, KeyPair pair)
      throws HsmException;
}
