package dev.fleetvault.driver.soft.impl;

import dev.fleetvault.driver.spi.KeySpec;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Algorithm choices of the soft driver. P-256 signing and ECDH go through {@link SoftEc} (Bouncy
 * Castle's optimised curve); AES-GCM, Ed25519 and RSA-PSS use the JDK.
 */
final class SoftAlgorithms {

  /** A private Bouncy Castle instance; not registered with {@link java.security.Security}. */
  static final Provider BC = new BouncyCastleProvider();

  private SoftAlgorithms() {}

  static String keyFactoryAlgorithm(KeySpec spec) {
    return switch (spec) {
      case EC_P256 -> "EC";
      case ED25519 -> "Ed25519";
      case RSA_2048 -> "RSA";
      case AES_256 -> "AES";
    };
  }

  static Signature signature(KeySpec spec) throws GeneralSecurityException {
    return switch (spec) {
      case EC_P256 -> Signature.getInstance("SHA256withECDSA", BC);
      case ED25519 -> Signature.getInstance("Ed25519");
      case RSA_2048 -> {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        yield s;
      }
      case AES_256 -> throw new GeneralSecurityException("AES keys do not sign");
    };
  }
}
