package dev.fleetvault.driver.kmip.impl;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Local verification of the SPI's RSA scheme: RSASSA-PSS, SHA-256, MGF1-SHA-256, salt length 32.
 */
final class RsaPss {
  static final int SALT_LENGTH = 32;

  private RsaPss() {}

  static boolean verify(PublicKey pub, byte[] msg, byte[] sig) throws GeneralSecurityException {
    Signature v = Signature.getInstance("RSASSA-PSS");
    v.setParameter(
        new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, SALT_LENGTH, 1));
    v.initVerify(pub);
    v.update(msg);
    try {
      return v.verify(sig);
    } catch (SignatureException e) {
      return false;
    }
  }
}
