package dev.fleetvault.driver.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.P256Points;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * Static helpers of the contract suite: labels, software keys, independent verification,
 * assertions.
 */
public final class ContractSupport {

  /** The order of the P-256 group. */
  public static final BigInteger P256_N =
      new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

  private static final AtomicInteger LABELS = new AtomicInteger();

  private ContractSupport() {}

  /** Like {@link Runnable} but may throw. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    /** Runs. */
    void run() throws Exception;
  }

  /** A fresh label unique to this run. */
  public static String label(String prefix) {
    return prefix
        + "-"
        + LABELS.incrementAndGet()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The capability {@code sign} needs for keys of {@code spec}. */
  public static Capability signCapability(KeySpec spec) {
    return switch (spec) {
      case EC_P256 -> Capability.SIGN_ECDSA_P256;
      case ED25519 -> Capability.SIGN_ED25519;
      case RSA_2048 -> Capability.SIGN_RSA_PSS;
      case AES_256 -> throw new IllegalArgumentException("AES_256 keys do not sign");
    };
  }

  /** Asserts {@code r} throws an {@link HsmException} of {@code kind}. */
  public static void assertKind(HsmException.Kind kind, ThrowingRunnable r) {
    assertThatThrownBy(r::run)
        .isInstanceOf(HsmException.class)
        .satisfies(e -> assertThat(((HsmException) e).kind()).as("kind of %s", e).isEqualTo(kind));
  }

  /** A fresh software P-256 key pair. */
  public static KeyPair newP256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** Verifies with the JDK's own provider (independent of the driver). */
  public static boolean verify(String alg, PublicKey pub, byte[] msg, byte[] sig) throws Exception {
    Signature v = Signature.getInstance(alg);
    v.initVerify(pub);
    v.update(msg);
    try {
      return v.verify(sig);
    } catch (java.security.SignatureException e) {
      return false;
    }
  }

  /**
   * Asserts {@code sig} is a DER SEQUENCE of two INTEGERs in [1, n-1], re-encoding byte for byte.
   */
  public static void assertStrictDer(byte[] sig) throws Exception {
    ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(sig));
    assertThat(seq.size()).isEqualTo(2);
    for (int i = 0; i < 2; i++) {
      BigInteger v = ASN1Integer.getInstance(seq.getObjectAt(i)).getPositiveValue();
      assertTrue(v.signum() > 0 && v.compareTo(P256_N) < 0, "r/s in range");
    }
    assertThat(seq.getEncoded(ASN1Encoding.DER)).as("strict DER").isEqualTo(sig);
  }

  /**
   * Malformed peer points: off the curve, compressed, zero, wrong prefix, x = p-ish, empty, short,
   * null.
   */
  public static List<byte[]> badPoints() throws Exception {
    byte[] good = P256Points.encodeUncompressed((ECPublicKey) newP256().getPublic());
    byte[] offCurve = good.clone();
    offCurve[64] ^= 1;
    byte[] compressed = new byte[33];
    compressed[0] = 2;
    System.arraycopy(good, 1, compressed, 1, 32);
    byte[] zeros = new byte[65];
    zeros[0] = 4;
    byte[] wrongPrefix = good.clone();
    wrongPrefix[0] = 5;
    byte[] pCoord = good.clone();
    Arrays.fill(pCoord, 1, 33, (byte) 0xff);
    return Arrays.asList(
        offCurve,
        compressed,
        zeros,
        wrongPrefix,
        pCoord,
        new byte[0],
        Arrays.copyOf(good, 64),
        null);
  }
}
