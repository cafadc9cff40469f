package dev.fleetvault.protocol.group;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * NIST P-256 (secp256r1) constants on Bouncy Castle's optimised {@code SecP256R1Curve}.
 *
 * <h2>Guarantees</h2>
 *
 * One curve instance for the whole process, so points from every package combine; sizes are the RFC
 * 9497 / SEC1 ones. Bouncy Castle objects are exposed for interoperation only: prefer {@link
 * Scalar} and {@link GroupElement}, which validate.
 */
public final class P256 {
  /** Scalar encoding length (RFC 9497 Ns). */
  public static final int SCALAR_LENGTH = 32;

  /** SEC1 compressed point length (RFC 9497 Ne). */
  public static final int COMPRESSED_LENGTH = 33;

  /** SEC1 uncompressed point length (RFC 9180 Npk/Nenc). */
  public static final int UNCOMPRESSED_LENGTH = 65;

  /** Field element / x-coordinate length. */
  public static final int FIELD_LENGTH = 32;

  private static final X9ECParameters X9 = CustomNamedCurves.getByName("secp256r1");

  /** The curve (Bouncy Castle's SecP256R1Curve). */
  public static final ECCurve CURVE = X9.getCurve();

  /** The base point G. */
  public static final ECPoint G = X9.getG().normalize();

  /** The group order n. */
  public static final BigInteger ORDER = X9.getN();

  /** Domain parameters for Bouncy Castle's signers and agreements. */
  public static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE, G, ORDER, X9.getH(), X9.getSeed());

  private P256() {}
}
