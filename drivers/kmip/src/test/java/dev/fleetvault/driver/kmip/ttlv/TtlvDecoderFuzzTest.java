package dev.fleetvault.driver.kmip.ttlv;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzz target (Jazzer) for the TTLV decoder, the bytes a KMIP server (or whoever
 * sits on the network path) sends us. Complements {@link TtlvFuzzTest}, which mutates randomly.
 *
 * <p>Property: {@link TtlvDecoder#decode} and {@link TtlvDecoder#readMessage} either return an item
 * or throw {@link TtlvException} (and {@code readMessage} {@link IOException} for a short stream),
 * never anything else; a decoded item re-encodes to exactly the input (or, for a Big Integer with
 * redundant sign-extension bytes, to its shorter minimal form) and decodes back equal. The
 * committed corpus holds valid KMIP messages.
 */
class TtlvDecoderFuzzTest {
  private static final TtlvLimits LIMITS = new TtlvLimits(64 * 1024, 8, 2_000);

  @FuzzTest
  void decode_anyBytes(byte[] input) {
    Ttlv item = null;
    try {
      item = TtlvDecoder.decode(input, LIMITS);
    } catch (TtlvException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    if (item != null) {
      byte[] again = TtlvEncoder.encode(item);
      // one encoding per item, except that a Big Integer may carry more sign-extension bytes than
      // it needs (the decoder accepts them; the encoder writes the minimal form): corpus
      // nonminimal-bigint, found by this target
      assertThat(again.length).isLessThanOrEqualTo(input.length);
      if (again.length == input.length) {
        assertThat(again).isEqualTo(input);
      }
      try {
        assertThat(TtlvDecoder.decode(again, LIMITS)).isEqualTo(item);
      } catch (TtlvException e) {
        throw new AssertionError("re-encoded item does not decode", e);
      }
    }
    try {
      Ttlv streamed = TtlvDecoder.readMessage(new ByteArrayInputStream(input), LIMITS);
      assertThat(streamed.type()).isEqualTo(ItemType.STRUCTURE);
    } catch (TtlvException | IOException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
