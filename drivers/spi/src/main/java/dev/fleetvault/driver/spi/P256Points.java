package dev.fleetvault.driver.spi;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;

/**
 * Encoding and validation of P-256 public points for drivers: uncompressed SEC1 ({@code 0x04 || X
 * || Y}, 65 bytes). Decoding rejects wrong lengths, other prefixes, coordinates outside the field,
 * points not on the curve (which also excludes infinity).
 */
public final class P256Points {

  /** Length of an uncompressed point. */
  public static final int UNCOMPRESSED_LENGTH = 65;

  private static final BigInteger P =
      new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
  private static final BigInteger A = P.subtract(BigInteger.valueOf(3));
  private static final BigInteger B =
      new BigInteger("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);
  private static final ECParameterSpec PARAMS = loadParams();

  private P256Points() {}

  /** The JCA parameters of secp256r1. */
  public static ECParameterSpec params() {
    return PARAMS;
  }

  /** Decodes and validates an uncompressed point into a JCA public key. */
  public static ECPublicKey decodeUncompressed(byte[] point) throws HsmFatalException {
    if (point == null || point.length != UNCOMPRESSED_LENGTH || point[0] != 0x04) {
      throw invalid("expected a 65-byte uncompressed P-256 point (0x04 || X || Y)");
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 33, 65));
    if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
      throw invalid("point coordinate outside the field");
    }
    BigInteger lhs = y.multiply(y).mod(P);
    BigInteger rhs = x.pow(3).add(A.multiply(x)).add(B).mod(P);
    if (!lhs.equals(rhs)) {
      throw invalid("point is not on the P-256 curve");
    }
    try {
      return (ECPublicKey)
          KeyFactory.getInstance("EC")
              .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), PARAMS));
    } catch (GeneralSecurityException e) {
      throw invalid("point rejected by the EC key factory");
    }
  }

  /** Encodes a P-256 public key as an uncompressed point. */
  public static byte[] encodeUncompressed(ECPublicKey key) {
    byte[] out = new byte[UNCOMPRESSED_LENGTH];
    out[0] = 0x04;
    writeFixed(key.getW().getAffineX(), out, 1);
    writeFixed(key.getW().getAffineY(), out, 33);
    return out;
  }

  /** Writes {@code v} big-endian into exactly 32 bytes at {@code off}. */
  public static void writeFixed(BigInteger v, byte[] out, int off) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, off + 32 - len, len);
  }

  private static HsmFatalException invalid(String why) {
    return new HsmFatalException(HsmException.Kind.INVALID_INPUT, "invalid peer point: " + why);
  }

  private static ECParameterSpec loadParams() {
    try {
      AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
      ap.init(new ECGenParameterSpec("secp256r1"));
      return ap.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("secp256r1 unavailable in this JDK", e);
    }
  }
}
