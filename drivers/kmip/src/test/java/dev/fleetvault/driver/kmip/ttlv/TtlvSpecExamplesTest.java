package dev.fleetvault.driver.kmip.ttlv;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The TTLV encoding examples of the KMIP 1.x specification (section 9.1.2, "Examples"), checked
 * byte for byte in both directions. Tag 0x420020 is the specification's sample tag.
 */
class TtlvSpecExamplesTest {
  private static final int T = 0x420020;

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", "").replace("|", ""));
  }

  private static void check(Ttlv item, String expectedHex) throws TtlvException {
    byte[] expected = hex(expectedHex);
    assertThat(HexFormat.of().formatHex(TtlvEncoder.encode(item)))
        .isEqualTo(HexFormat.of().formatHex(expected));
    assertThat(TtlvDecoder.decode(expected, TtlvLimits.DEFAULT)).isEqualTo(item);
  }

  @Test
  void integer_eight_matchesSpec() throws Exception {
    check(Ttlv.integer(T, 8), "42 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00");
  }

  @Test
  void longInteger_123456789000000000_matchesSpec() throws Exception {
    check(
        Ttlv.longInteger(T, 123456789000000000L),
        "42 00 20 | 03 | 00 00 00 08 | 01 B6 9B 4B A5 74 92 00");
  }

  @Test
  void bigInteger_1234567890000000000000000000_matchesSpec() throws Exception {
    check(
        Ttlv.bigInteger(T, new BigInteger("1234567890000000000000000000")),
        "42 00 20 | 04 | 00 00 00 10 | 00 00 00 00 03 FD 35 EB 6B C2 DF 46 18 08 00 00");
  }

  @Test
  void enumeration_255_matchesSpec() throws Exception {
    check(Ttlv.enumeration(T, 255), "42 00 20 | 05 | 00 00 00 04 | 00 00 00 FF 00 00 00 00");
  }

  @Test
  void bool_true_matchesSpec() throws Exception {
    check(Ttlv.bool(T, true), "42 00 20 | 06 | 00 00 00 08 | 00 00 00 00 00 00 00 01");
  }

  @Test
  void text_helloWorld_matchesSpec() throws Exception {
    check(
        Ttlv.text(T, "Hello World"),
        "42 00 20 | 07 | 00 00 00 0B | 48 65 6C 6C 6F 20 57 6F 72 6C 64 00 00 00 00 00");
  }

  @Test
  void bytes_010203_matchesSpec() throws Exception {
    check(
        Ttlv.bytes(T, new byte[] {1, 2, 3}),
        "42 00 20 | 08 | 00 00 00 03 | 01 02 03 00 00 00 00 00");
  }

  @Test
  void dateTime_friday14March2008_matchesSpec() throws Exception {
    // Friday, March 14, 2008, 11:56:40 GMT
    long seconds =
        java.time.ZonedDateTime.of(2008, 3, 14, 11, 56, 40, 0, java.time.ZoneOffset.UTC)
            .toEpochSecond();
    check(Ttlv.dateTime(T, seconds), "42 00 20 | 09 | 00 00 00 08 | 00 00 00 00 47 DA 67 F8");
  }

  @Test
  void interval_tenDays_matchesSpec() throws Exception {
    check(
        Ttlv.interval(T, 10L * 24 * 3600), "42 00 20 | 0A | 00 00 00 04 | 00 0D 2F 00 00 00 00 00");
  }

  @Test
  void structure_enumAndInteger_matchesSpec() throws Exception {
    check(
        Ttlv.structure(T, Ttlv.enumeration(0x420004, 254), Ttlv.integer(0x420005, 255)),
        "42 00 20 | 01 | 00 00 00 20 | 42 00 04 | 05 | 00 00 00 04 | 00 00 00 FE 00 00 00 00"
            + " | 42 00 05 | 02 | 00 00 00 04 | 00 00 00 FF 00 00 00 00");
  }

  @Test
  void bigInteger_negative_signExtendedTo8Bytes() throws Exception {
    check(
        Ttlv.bigInteger(T, BigInteger.valueOf(-1)),
        "42 00 20 | 04 | 00 00 00 08 | FF FF FF FF FF FF FF FF");
  }

  @Test
  void dateTimeExtended_roundTrips() throws Exception {
    check(
        Ttlv.dateTimeExtended(T, 1205495800_000001L),
        "42 00 20 | 0B | 00 00 00 08 | 00 04 48 64 5C EF EE 01");
  }
}
