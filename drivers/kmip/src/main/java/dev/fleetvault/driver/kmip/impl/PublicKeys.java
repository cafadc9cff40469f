package dev.fleetvault.driver.kmip.impl;

import dev.fleetvault.driver.kmip.client.ManagedKey;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.KeyFormatType;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * Turns the key material of a KMIP public key (PKCS#1 RSAPublicKey or X.509 SubjectPublicKeyInfo)
 * into a JDK {@link PublicKey}, with a small strict DER reader for PKCS#1.
 */
final class PublicKeys {
  private PublicKeys() {}

  static PublicKey rsa(ManagedKey k) throws GeneralSecurityException {
    if (k.keyFormatType() == KeyFormatType.X_509.code()) {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(k.material()));
    }
    if (k.keyFormatType() != KeyFormatType.PKCS_1.code()) {
      throw new GeneralSecurityException("unsupported public key format " + k.keyFormatType());
    }
    Der d = new Der(k.material());
    Der seq = d.sequence();
    BigInteger n = seq.integer();
    BigInteger e = seq.integer();
    if (!seq.done() || !d.done() || n.signum() <= 0 || e.signum() <= 0) {
      throw new GeneralSecurityException("malformed PKCS#1 RSAPublicKey");
    }
    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
  }

  /** Minimal DER reader: definite lengths, SEQUENCE and INTEGER only. */
  private static final class Der {
    private final byte[] b;
    private int pos;
    private final int end;

    Der(byte[] b) {
      this(b, 0, b.length);
    }

    private Der(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean done() {
      return pos == end;
    }

    private int[] header(int expectedTag) throws GeneralSecurityException {
      if (end - pos < 2 || (b[pos] & 0xFF) != expectedTag) {
        throw new GeneralSecurityException("malformed DER");
      }
      pos++;
      int len = b[pos++] & 0xFF;
      if (len >= 0x80) {
        int n = len & 0x7F;
        if (n == 0 || n > 3 || end - pos < n) {
          throw new GeneralSecurityException("malformed DER length");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (b[pos++] & 0xFF);
        }
      }
      if (len > end - pos) {
        throw new GeneralSecurityException("DER length beyond input");
      }
      int start = pos;
      pos += len;
      return new int[] {start, len};
    }

    Der sequence() throws GeneralSecurityException {
      int[] h = header(0x30);
      return new Der(b, h[0], h[0] + h[1]);
    }

    BigInteger integer() throws GeneralSecurityException {
      int[] h = header(0x02);
      if (h[1] == 0) {
        throw new GeneralSecurityException("empty DER integer");
      }
      byte[] v = new byte[h[1]];
      System.arraycopy(b, h[0], v, 0, h[1]);
      return new BigInteger(v);
    }
  }
}
