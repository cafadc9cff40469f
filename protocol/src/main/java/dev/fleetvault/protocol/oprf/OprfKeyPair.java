package dev.fleetvault.protocol.oprf;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.oprf.impl.OprfHashes;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * An OPRF server key pair (skS, pkS = skS·G) for suite P256-SHA256.
 *
 * <h2>Guarantees</h2>
 *
 * skS is never zero; pkS always matches skS; {@link #toString()} never shows skS. {@link #derive}
 * is RFC 9497 §3.2.1 DeriveKeyPair exactly.
 */
public final class OprfKeyPair {
  private final Scalar privateKey;
  private final GroupElement publicKey;

  private OprfKeyPair(Scalar privateKey) {
    this.privateKey = privateKey;
    this.publicKey = GroupElement.multiplyGenerator(privateKey);
  }

  /** The key pair of a non-zero private key. */
  public static OprfKeyPair fromPrivateKey(Scalar privateKey) {
    Objects.requireNonNull(privateKey, "privateKey");
    if (privateKey.isZero()) {
      throw new IllegalArgumentException("OPRF private key must not be zero");
    }
    return new OprfKeyPair(privateKey);
  }

  /** A random key pair. */
  public static OprfKeyPair generate(SecureRandom random) {
    return new OprfKeyPair(Scalar.random(random));
  }

  /** RFC 9497 DeriveKeyPair(seed, info) for {@code mode}; seed is 32 bytes in the RFC's use. */
  public static OprfKeyPair derive(byte[] seed, byte[] info, OprfMode mode) {
    Objects.requireNonNull(seed, "seed");
    Objects.requireNonNull(info, "info");
    byte[] deriveInput = OprfHashes.concat(seed, OprfHashes.lengthPrefixed(info));
    byte[] dst = OprfHashes.concat(OprfHashes.ascii("DeriveKeyPair"), mode.contextString());
    for (int counter = 0; counter <= 255; counter++) {
      Scalar sk =
          OprfHashes.hashToScalar(OprfHashes.concat(deriveInput, new byte[] {(byte) counter}), dst);
      if (!sk.isZero()) {
        return new OprfKeyPair(sk);
      }
    }
    throw new IllegalStateException("DeriveKeyPairError: no non-zero scalar in 256 attempts");
  }

  public Scalar privateKey() {
    return privateKey;
  }

  public GroupElement publicKey() {
    return publicKey;
  }

  @Override
  public String toString() {
    return "OprfKeyPair[private key redacted]";
  }
}
