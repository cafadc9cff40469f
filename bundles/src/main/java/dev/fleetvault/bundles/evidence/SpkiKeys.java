package dev.fleetvault.bundles.evidence;

import dev.fleetvault.bundles.FormatException;
import dev.fleetvault.bundles.crypto.Crypto;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;

/** Public key conversions for evidence (P-256 points and SPKI, Ed25519 SPKI). */
public final class SpkiKeys {
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private SpkiKeys() {}

  /** A P-256 public key from a 65-byte uncompressed point. */
  public static ECPublicKey p256FromPoint(byte[] point) {
    if (!Crypto.isValidP256Point(point)) {
      throw new FormatException("not an uncompressed P-256 point");
    }
    try {
      AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
      ap.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec spec = ap.getParameterSpec(ECParameterSpec.class);
      ECPoint w =
          new ECPoint(
              new BigInteger(1, java.util.Arrays.copyOfRange(point, 1, 33)),
              new BigInteger(1, java.util.Arrays.copyOfRange(point, 33, 65)));
      return (ECPublicKey)
          KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
    } catch (java.security.GeneralSecurityException e) {
      throw new FormatException("cannot build a P-256 key", e);
    }
  }

  /** The 65-byte point of a P-256 SPKI. */
  public static byte[] p256PointFromSpki(byte[] spki) {
    try {
      return Crypto.uncompressed(Crypto.p256FromSpki(spki));
    } catch (IllegalArgumentException e) {
      throw new FormatException("not a P-256 SubjectPublicKeyInfo");
    }
  }

  /** The raw 32-byte Ed25519 key of an X.509 SPKI (or the raw key itself when given 32 bytes). */
  public static byte[] ed25519Raw(byte[] spkiOrRaw) {
    if (spkiOrRaw.length == 32) {
      return spkiOrRaw.clone();
    }
    if (spkiOrRaw.length != 44
        || !java.util.Arrays.equals(java.util.Arrays.copyOf(spkiOrRaw, 12), ED25519_SPKI_PREFIX)) {
      throw new FormatException("not an Ed25519 public key (SPKI or 32 raw bytes)");
    }
    return java.util.Arrays.copyOfRange(spkiOrRaw, 12, 44);
  }
}
