package dev.fleetvault.bundles;

import java.security.KeyPair;
import java.security.Signature;

/** Small helpers for forgeries. */
final class TestLogOps {
  private TestLogOps() {}

  static byte[] signWithFreshKey(byte[] msg) {
    try {
      KeyPair k = TestLog.ecKeyPair();
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(k.getPrivate());
      s.update(msg);
      return s.sign();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
