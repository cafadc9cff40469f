package dev.fleetvault.driver.kmip.ttlv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds random, truncated and mutated bytes to the decoder for a bounded number of rounds: every
 * outcome must be a decoded item or a {@link TtlvException}/{@link IOException} — never another
 * exception, a hang or an out-of-memory error. Fixed seed so a failure reproduces.
 */
class TtlvFuzzTest {
  private static final int ROUNDS = 20_000;
  private static final TtlvLimits LIMITS = new TtlvLimits(64 * 1024, 8, 2_000);

  private static Ttlv randomItem(SplittableRandom r, int depth) {
    int tag = 0x420000 | r.nextInt(0x10000);
    int kind = depth > 3 ? 1 + r.nextInt(10) : r.nextInt(11);
    switch (kind) {
      case 0:
        {
          List<Ttlv> kids = new ArrayList<>();
          int n = r.nextInt(5);
          for (int i = 0; i < n; i++) {
            kids.add(randomItem(r, depth + 1));
          }
          return Ttlv.structure(tag, kids);
        }
      case 1:
        return Ttlv.integer(tag, r.nextInt());
      case 2:
        return Ttlv.longInteger(tag, r.nextLong());
      case 3:
        return Ttlv.bigInteger(
            tag,
            new BigInteger(1 + r.nextInt(200), new java.util.Random(r.nextLong()))
                .multiply(BigInteger.valueOf(r.nextBoolean() ? 1 : -1)));
      case 4:
        return Ttlv.enumeration(tag, r.nextInt());
      case 5:
        return Ttlv.bool(tag, r.nextBoolean());
      case 6:
        return Ttlv.text(tag, "x".repeat(r.nextInt(20)) + "é");
      case 7:
        {
          byte[] b = new byte[r.nextInt(40)];
          r.nextBytes(b);
          return Ttlv.bytes(tag, b);
        }
      case 8:
        return Ttlv.dateTime(tag, r.nextLong());
      case 9:
        return Ttlv.interval(tag, r.nextLong(0, 0x100000000L));
      default:
        return Ttlv.dateTimeExtended(tag, r.nextLong());
    }
  }

  private static void decodeSafely(byte[] input) {
    try {
      TtlvDecoder.decode(input, LIMITS);
    } catch (TtlvException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    try {
      TtlvDecoder.readMessage(new ByteArrayInputStream(input), LIMITS);
    } catch (TtlvException | IOException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Test
  void decode_randomAndMutatedInput_neverThrowsUnexpectedly() {
    SplittableRandom r = new SplittableRandom(0xF1EE7L);
    int decodedOk = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Ttlv item = Ttlv.structure(Tag.RESPONSE_MESSAGE, randomItem(r, 1), randomItem(r, 1));
      byte[] valid = TtlvEncoder.encode(item);
      byte[] input;
      switch (round % 4) {
        case 0 -> { // pure noise, sometimes with a plausible header
          input = new byte[r.nextInt(64)];
          r.nextBytes(input);
          if (input.length >= 4 && r.nextBoolean()) {
            input[0] = 0x42;
            input[3] = (byte) (1 + r.nextInt(11));
          }
        }
        case 1 -> input = java.util.Arrays.copyOf(valid, r.nextInt(valid.length)); // truncated
        case 2 -> { // bit flips
          input = valid.clone();
          int flips = 1 + r.nextInt(4);
          for (int i = 0; i < flips; i++) {
            input[r.nextInt(input.length)] ^= (byte) (1 << r.nextInt(8));
          }
        }
        default -> { // round trip must be exact
          try {
            assertThat(TtlvDecoder.decode(valid, TtlvLimits.DEFAULT)).isEqualTo(item);
            decodedOk++;
          } catch (TtlvException e) {
            throw new AssertionError(
                "valid encoding rejected in round " + round + ": " + e.getMessage(), e);
          }
          input = valid;
        }
      }
      decodeSafely(input);
    }
    System.out.println("TTLV fuzz: " + ROUNDS + " rounds, " + decodedOk + " exact round trips");
    assertThat(decodedOk).isEqualTo(ROUNDS / 4);
  }
}
