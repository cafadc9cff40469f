package dev.fleetvault.protocol.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

class ScalarTest {
  private static final BigInteger N = P256.ORDER;

  @Test
  void decode_valuesAtOrAboveOrder_rejected() {
    for (BigInteger v :
        new BigInteger[] {
          N, N.add(BigInteger.ONE), BigInteger.TWO.pow(256).subtract(BigInteger.ONE)
        }) {
      assertThatThrownBy(() -> Scalar.decode(BigIntegers.asUnsignedByteArray(32, v)))
          .isInstanceOf(InvalidEncodingException.class)
          .hasMessageContaining("order");
    }
  }

  @Test
  void decode_wrongLengths_rejected() {
    for (int len : new int[] {0, 1, 31, 33, 64}) {
      assertThatThrownBy(() -> Scalar.decode(new byte[len]))
          .isInstanceOf(InvalidEncodingException.class)
          .hasMessageContaining("32 bytes");
    }
  }

  @Test
  void decodeNonZero_zero_rejectedButDecodeAccepts() {
    assertThat(Scalar.decode(new byte[32]).isZero()).isTrue();
    assertThatThrownBy(() -> Scalar.decodeNonZero(new byte[32]))
        .isInstanceOf(InvalidEncodingException.class);
  }

  @Test
  void decode_orderMinusOne_roundTrips() {
    byte[] e = BigIntegers.asUnsignedByteArray(32, N.subtract(BigInteger.ONE));
    assertThat(Scalar.decodeNonZero(e).encode()).isEqualTo(e);
  }

  @Test
  void of_outOfRange_rejectedWithoutReduction() {
    assertThatThrownBy(() -> Scalar.of(N)).isInstanceOf(InvalidEncodingException.class);
    assertThatThrownBy(() -> Scalar.of(BigInteger.ONE.negate()))
        .isInstanceOf(InvalidEncodingException.class);
    assertThat(Scalar.reduce(N.add(BigInteger.TWO))).isEqualTo(Scalar.ofLong(2));
  }

  @Test
  void arithmetic_fieldIdentities_hold() {
    SecureRandom r = new SecureRandom();
    Scalar a = Scalar.random(r);
    Scalar b = Scalar.random(r);
    assertThat(a.multiply(a.invert())).isEqualTo(Scalar.ONE);
    assertThat(a.add(b).subtract(b)).isEqualTo(a);
    assertThat(a.add(a.negate()).isZero()).isTrue();
    assertThatThrownBy(() -> Scalar.ZERO.invert()).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void toString_secretScalar_redacted() {
    Scalar s = Scalar.ofLong(123456789);
    assertThat(s.toString()).doesNotContain("123456789").doesNotContain("75bcd15");
  }
}
