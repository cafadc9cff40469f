package dev.fleetvault.protocol.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

class GroupElementTest {
  private static final BigInteger P = P256.CURVE.getField().getCharacteristic();
  private static final GroupElement G7 = GroupElement.multiplyGenerator(Scalar.ofLong(7));

  @Test
  void decodeCompressed_roundTrip_equal() {
    assertThat(GroupElement.decodeCompressed(G7.encodeCompressed())).isEqualTo(G7);
    assertThat(GroupElement.decodeUncompressed(G7.encodeUncompressed())).isEqualTo(G7);
    assertThat(G7.encodeCompressed()).hasSize(33);
    assertThat(G7.encodeUncompressed()).hasSize(65);
  }

  @Test
  void decode_identityEncodings_rejected() {
    assertThatThrownBy(() -> GroupElement.decodeCompressed(new byte[] {0}))
        .isInstanceOf(InvalidEncodingException.class);
    assertThatThrownBy(() -> GroupElement.decodeCompressed(new byte[33]))
        .isInstanceOf(InvalidEncodingException.class);
    assertThatThrownBy(() -> GroupElement.decodeUncompressed(new byte[65]))
        .isInstanceOf(InvalidEncodingException.class);
    assertThatThrownBy(() -> GroupElement.fromPoint(P256.CURVE.getInfinity()))
        .isInstanceOf(InvalidEncodingException.class);
  }

  @Test
  void decode_wrongLengths_rejected() {
    byte[] c = G7.encodeCompressed();
    byte[] u = G7.encodeUncompressed();
    for (byte[] bad : List.of(new byte[0], Arrays.copyOf(c, 32), Arrays.copyOf(c, 34), u)) {
      assertThatThrownBy(() -> GroupElement.decodeCompressed(bad))
          .isInstanceOf(InvalidEncodingException.class)
          .hasMessageContaining("33 bytes");
    }
    for (byte[] bad : List.of(new byte[0], Arrays.copyOf(u, 64), Arrays.copyOf(u, 66), c)) {
      assertThatThrownBy(() -> GroupElement.decodeUncompressed(bad))
          .isInstanceOf(InvalidEncodingException.class)
          .hasMessageContaining("65 bytes");
    }
  }

  @Test
  void decodeUncompressed_pointOffCurve_rejected() {
    byte[] u = G7.encodeUncompressed();
    u[64] ^= 1; // y+-1: not on the curve (invalid-curve attack shape)
    assertThatThrownBy(() -> GroupElement.decodeUncompressed(u))
        .isInstanceOf(InvalidEncodingException.class);
  }

  @Test
  void decodeCompressed_xWithoutCurvePoint_rejected() {
    BigInteger x = BigInteger.ONE;
    while (isOnCurveX(x)) {
      x = x.add(BigInteger.ONE);
    }
    byte[] enc = new byte[33];
    enc[0] = 0x02;
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, x), 0, enc, 1, 32);
    assertThatThrownBy(() -> GroupElement.decodeCompressed(enc))
        .isInstanceOf(InvalidEncodingException.class);
  }

  @Test
  void decode_coordinateAtOrAboveFieldPrime_rejected() {
    byte[] enc = new byte[33];
    enc[0] = 0x03;
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, P), 0, enc, 1, 32);
    assertThatThrownBy(() -> GroupElement.decodeCompressed(enc))
        .isInstanceOf(InvalidEncodingException.class);
    byte[] u = G7.encodeUncompressed();
    BigInteger xPlusP = new BigInteger(1, Arrays.copyOfRange(u, 1, 33)).add(P);
    if (xPlusP.bitLength() <= 256) {
      System.arraycopy(BigIntegers.asUnsignedByteArray(32, xPlusP), 0, u, 1, 32);
      assertThatThrownBy(() -> GroupElement.decodeUncompressed(u))
          .isInstanceOf(InvalidEncodingException.class);
    }
  }

  @Test
  void decode_wrongPrefixes_rejected() {
    byte[] c = G7.encodeCompressed();
    byte[] u = G7.encodeUncompressed();
    for (int prefix : new int[] {0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0xff}) {
      byte[] bc = c.clone();
      bc[0] = (byte) prefix;
      assertThatThrownBy(() -> GroupElement.decodeCompressed(bc))
          .isInstanceOf(InvalidEncodingException.class);
    }
    for (int prefix : new int[] {0x00, 0x02, 0x03, 0x06, 0x07}) { // 0x06/0x07: hybrid encodings
      byte[] bu = u.clone();
      bu[0] = (byte) prefix;
      assertThatThrownBy(() -> GroupElement.decodeUncompressed(bu))
          .isInstanceOf(InvalidEncodingException.class);
    }
  }

  @Test
  void operations_resultIdentity_throwNotReturn() {
    assertThatThrownBy(() -> G7.multiply(Scalar.ZERO)).isInstanceOf(ArithmeticException.class);
    GroupElement neg = GroupElement.multiplyGenerator(Scalar.ofLong(7).negate());
    assertThatThrownBy(() -> G7.add(neg)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(
            () -> GroupElement.linearCombination(List.of(G7, neg), List.of(Scalar.ONE, Scalar.ONE)))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void linearCombination_matchesSumOfMultiplies() {
    GroupElement g = GroupElement.generator();
    GroupElement lc =
        GroupElement.linearCombination(List.of(g, G7), List.of(Scalar.ofLong(3), Scalar.ofLong(2)));
    assertThat(lc).isEqualTo(GroupElement.multiplyGenerator(Scalar.ofLong(17)));
  }

  private static boolean isOnCurveX(BigInteger x) {
    BigInteger a = P256.CURVE.getA().toBigInteger();
    BigInteger b = P256.CURVE.getB().toBigInteger();
    BigInteger rhs = x.pow(3).add(a.multiply(x)).add(b).mod(P);
    return rhs.signum() == 0
        || rhs.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
  }
}
