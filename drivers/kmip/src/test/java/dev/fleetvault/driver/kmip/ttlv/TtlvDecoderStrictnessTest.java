package dev.fleetvault.driver.kmip.ttlv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Malformed input is a clear {@link TtlvException}, and the limits hold. */
class TtlvDecoderStrictnessTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void decode_badTagPrefix_rejected() {
    assertThatThrownBy(
            () -> TtlvDecoder.decode(hex("41002002000000040000000800000000"), TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("tag prefix");
  }

  @Test
  void decode_unknownType_rejected() {
    assertThatThrownBy(
            () -> TtlvDecoder.decode(hex("4200200C000000040000000800000000"), TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("unknown item type");
  }

  @Test
  void decode_integerWrongLength_rejected() {
    assertThatThrownBy(
            () -> TtlvDecoder.decode(hex("42002002000000080000000800000000"), TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("expected 4");
  }

  /**
   * KMIP Big Integer: padded with the minimal number of sign-extended bytes, so a whole block of
   * sign is refused.
   */
  @Test
  void decode_bigIntegerWithRedundantSignBlock_rejected() {
    assertThatThrownBy(
            () ->
                TtlvDecoder.decode(
                    hex("42002004000000100000000000000000" + "0000000000000001"),
                    TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("minimal");
    assertThatThrownBy(
            () ->
                TtlvDecoder.decode(
                    hex("4200200400000010FFFFFFFFFFFFFFFF" + "FFFFFFFFFFFFFFFE"),
                    TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("minimal");
  }

  @Test
  void decode_bigIntegerNeedingItsSignBlock_accepted() throws Exception {
    Ttlv positive =
        TtlvDecoder.decode(
            hex("42002004000000100000000000000000" + "8000000000000000"), TtlvLimits.DEFAULT);
    assertThat((java.math.BigInteger) positive.rawObject())
        .isEqualTo(java.math.BigInteger.ONE.shiftLeft(63));
    Ttlv negative =
        TtlvDecoder.decode(
            hex("4200200400000010FFFFFFFFFFFFFFFF" + "7FFFFFFFFFFFFFFF"), TtlvLimits.DEFAULT);
    assertThat(((java.math.BigInteger) negative.rawObject()).signum()).isNegative();
    Ttlv small = TtlvDecoder.decode(hex("42002004000000080000000000000001"), TtlvLimits.DEFAULT);
    assertThat((java.math.BigInteger) small.rawObject()).isEqualTo(java.math.BigInteger.ONE);
  }

  @Test
  void decode_nonZeroPadding_rejected() {
    assertThatThrownBy(
            () -> TtlvDecoder.decode(hex("42002002000000040000000800000001"), TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("padding");
  }

  @Test
  void decode_booleanTwo_rejected() {
    assertThatThrownBy(
            () -> TtlvDecoder.decode(hex("42002006000000080000000000000002"), TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("neither 0 nor 1");
  }

  @Test
  void decode_bigIntegerNotMultipleOf8_rejected() {
    assertThatThrownBy(
            () -> TtlvDecoder.decode(hex("42002004000000040000000100000000"), TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("multiple of 8");
  }

  @Test
  void decode_invalidUtf8_rejected() {
    assertThatThrownBy(
            () -> TtlvDecoder.decode(hex("4200200700000002C328000000000000"), TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void decode_lengthBeyondInput_rejectedWithoutAllocating() {
    assertThatThrownBy(
            () -> TtlvDecoder.decode(hex("42002008FFFFFFF0 0102030000000000"), TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("remain");
  }

  @Test
  void decode_trailingBytes_rejected() {
    assertThatThrownBy(
            () ->
                TtlvDecoder.decode(
                    hex("42002002000000040000000800000000 4200"), TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void decode_structureChildOverrunsParent_rejected() {
    // structure says 8 bytes, but the child needs 16
    assertThatThrownBy(
            () ->
                TtlvDecoder.decode(
                    hex("4200200100000008 42000402000000040000000800000000"), TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class);
  }

  @Test
  void decode_tooDeep_rejected() throws Exception {
    Ttlv t = Ttlv.integer(0x420001, 1);
    for (int i = 0; i < 5; i++) {
      t = Ttlv.structure(0x420002, t);
    }
    byte[] enc = TtlvEncoder.encode(t);
    assertThat(TtlvDecoder.decode(enc, TtlvLimits.DEFAULT)).isEqualTo(t);
    assertThatThrownBy(() -> TtlvDecoder.decode(enc, new TtlvLimits(1 << 20, 5, 100)))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("nesting");
  }

  @Test
  void decode_tooManyItems_rejected() {
    Ttlv[] kids = new Ttlv[50];
    for (int i = 0; i < kids.length; i++) {
      kids[i] = Ttlv.integer(0x420001, i);
    }
    byte[] enc = TtlvEncoder.encode(Ttlv.structure(0x420002, kids));
    assertThatThrownBy(() -> TtlvDecoder.decode(enc, new TtlvLimits(1 << 20, 4, 50)))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("items");
  }

  @Test
  void readMessage_declaredLengthOverLimit_rejectedBeforeReading() {
    byte[] header = hex("42007B017FFFFFF8");
    assertThatThrownBy(
            () -> TtlvDecoder.readMessage(new ByteArrayInputStream(header), TtlvLimits.DEFAULT))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("limit");
  }

  @Test
  void readMessage_truncatedStream_eof() {
    byte[] msg =
        TtlvEncoder.encode(Ttlv.structure(Tag.RESPONSE_MESSAGE, Ttlv.integer(Tag.BATCH_COUNT, 1)));
    byte[] cut = java.util.Arrays.copyOf(msg, msg.length - 3);
    assertThatThrownBy(
            () -> TtlvDecoder.readMessage(new ByteArrayInputStream(cut), TtlvLimits.DEFAULT))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void readMessage_wellFormed_decodes() throws Exception {
    Ttlv m =
        Ttlv.structure(
            Tag.RESPONSE_MESSAGE,
            Ttlv.integer(Tag.BATCH_COUNT, 1),
            Ttlv.bytes(Tag.DATA, new byte[9]));
    assertThat(
            TtlvDecoder.readMessage(
                new ByteArrayInputStream(TtlvEncoder.encode(m)), TtlvLimits.DEFAULT))
        .isEqualTo(m);
  }

  @Test
  void toString_byteString_hidesContent() {
    Ttlv t = Ttlv.bytes(Tag.KEY_MATERIAL, new byte[] {0x13, 0x37, 0x42});
    assertThat(t.toString()).contains("3 bytes").doesNotContain("13").doesNotContain("37");
  }
}
