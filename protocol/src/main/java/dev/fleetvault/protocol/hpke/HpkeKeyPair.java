package dev.fleetvault.protocol.hpke;

import dev.fleetvault.protocol.group.GroupElement;
import dev.fleetvault.protocol.group.Scalar;
import dev.fleetvault.protocol.hpke.impl.HpkeKdf;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A DHKEM(P-256, HKDF-SHA256) key pair held in software (senders' ephemeral keys, tests and the
 * software driver). Members with an HSM keep the private key inside the HSM and use {@link
 * Hpke#setupBaseRecipientFromDh} instead.
 *
 * <h2>Guarantees</h2>
 *
 * The private key is in [1, n-1] and the public key matches it; {@link #derive} is RFC 9180 §7.1.3
 * DeriveKeyPair exactly (vector-checked). {@link #toString()} never shows the private key.
 */
public final class HpkeKeyPair {
  private final Scalar privateKey;
  private final GroupElement publicKey;

  private HpkeKeyPair(Scalar privateKey) {
    this.privateKey = privateKey;
    this.publicKey = GroupElement.multiplyGenerator(privateKey);
  }

  /** The key pair of a non-zero private key. */
  public static HpkeKeyPair fromPrivateKey(Scalar privateKey) {
    if (Objects.requireNonNull(privateKey, "privateKey").isZero()) {
      throw new IllegalArgumentException("HPKE private key must not be zero");
    }
    return new HpkeKeyPair(privateKey);
  }

  /** A fresh random key pair. */
  public static HpkeKeyPair generate(SecureRandom random) {
    return new HpkeKeyPair(Scalar.random(random));
  }

  /**
   * RFC 9180 DeriveKeyPair(ikm) for DHKEM(P-256, HKDF-SHA256); ikm should have 32+ bytes of
   * entropy.
   */
  public static HpkeKeyPair derive(byte[] ikm) {
    byte[] prk = HpkeKdf.KEM.labeledExtract(new byte[0], "dkp_prk", ikm);
    try {
      for (int counter = 0; counter <= 255; counter++) {
        byte[] bytes = HpkeKdf.KEM.labeledExpand(prk, "candidate", new byte[] {(byte) counter}, 32);
        BigInteger sk = new BigInteger(1, bytes); // bitmask 0xff for P-256: no bits cleared
        Arrays.fill(bytes, (byte) 0);
        if (sk.signum() != 0 && sk.compareTo(dev.fleetvault.protocol.group.P256.ORDER) < 0) {
          return new HpkeKeyPair(Scalar.of(sk));
        }
      }
      throw new IllegalStateException("DeriveKeyPairError");
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  public Scalar privateKey() {
    return privateKey;
  }

  public GroupElement publicKey() {
    return publicKey;
  }

  @Override
  public String toString() {
    return "HpkeKeyPair[private key redacted]";
  }
}
