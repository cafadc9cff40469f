package dev.fleetvault.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Canonical command bytes: exact round trip, strict parsing, limits. */
@Tag("process")
class LedgerCommandTest extends QuorumTestBase {

  @Test
  void parse_canonicalBytes_roundTripsEveryType() {
    byte[] rid = random(16), id = random(32);
    for (LedgerCommand c :
        new LedgerCommand[] {
          LedgerCommand.register(3, 2, "üser", 7, rid, 9, id, 10),
          LedgerCommand.attempt(3, 2, "üser", 8, rid, 9, id, 4, id),
          LedgerCommand.succeed(3, 2, "üser", 9, rid, 9, id, 4, id),
          LedgerCommand.delete(3, 2, "üser", 10, rid)
        }) {
      LedgerCommand p = LedgerCommand.parse(c.canonicalBytes());
      assertThat(p.canonicalBytes()).isEqualTo(c.canonicalBytes());
      assertThat(p.type()).isEqualTo(c.type());
      assertThat(p.user()).isEqualTo("üser");
      assertThat(p.sequence()).isEqualTo(c.sequence());
    }
  }

  @Test
  void parse_trailingTruncatedOrRetagged_rejected() {
    byte[] ok =
        LedgerCommand.attempt(1, 1, "u", 1, random(16), 1, random(32), 1, random(32))
            .canonicalBytes();
    byte[] longer = Arrays.copyOf(ok, ok.length + 1);
    assertThatThrownBy(() -> LedgerCommand.parse(longer))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LedgerCommand.parse(Arrays.copyOf(ok, ok.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] tag = ok.clone();
    tag[0] ^= 1;
    assertThatThrownBy(() -> LedgerCommand.parse(tag)).isInstanceOf(IllegalArgumentException.class);
    byte[] type = ok.clone();
    type[LedgerCommand.DOMAIN_TAG.length] = 9;
    assertThatThrownBy(() -> LedgerCommand.parse(type))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void factories_outOfRangeValues_rejected() {
    assertThatThrownBy(() -> LedgerCommand.register(1, 1, "u", 1, random(16), 1, random(32), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LedgerCommand.register(1, 1, "u", 1, random(16), 0, random(32), 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> LedgerCommand.attempt(1, 1, "u", 0, random(16), 1, random(32), 1, random(32)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> LedgerCommand.attempt(1, 1, "", 1, random(16), 1, random(32), 1, random(32)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                LedgerCommand.attempt(
                    1, 1, "u".repeat(257), 1, random(16), 1, random(32), 1, random(32)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> LedgerCommand.attempt(1, 1, "u", 1, random(15), 1, random(32), 1, random(32)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> LedgerCommand.attempt(1, 1, "u", 1, random(16), 1, random(32), 1, random(31)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> LedgerCommand.attempt(1, 1, "u", 1, random(16), 1, random(32), 0, random(32)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> LedgerCommand.attempt(1, 1, "u", 1, random(16), 1, random(31), 1, random(32)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> LedgerCommand.register(1, 1, "u", 1, random(16), Long.MAX_VALUE, random(32), 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                LedgerCommand.register(
                    1, 1, "u", 1, random(16), LedgerCommand.MAX_RECORD_VERSION + 1, random(32), 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            LedgerCommand.register(
                    1, 1, "u", 1, random(16), LedgerCommand.MAX_RECORD_VERSION, random(32), 5)
                .version())
        .isEqualTo((1L << 53) - 1);
  }

  @Test
  void signedCommand_decode_strict() {
    SignedCommand s = new SignedCommand(random(40), random(70));
    assertThat(SignedCommand.decode(s.encode()).signature()).isEqualTo(s.signature());
    byte[] e = s.encode();
    assertThatThrownBy(() -> SignedCommand.decode(Arrays.copyOf(e, e.length + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedCommand.decode(Arrays.copyOf(e, e.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SignedCommand(random(10), random(73)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quorumConfig_evenOrDuplicate_rejected() {
    var k = newKey().getPublic();
    var a = new QuorumMember(1, LOOPBACK, 17001, 17002, k);
    var b = new QuorumMember(2, LOOPBACK, 17003, 17004, k);
    var c = new QuorumMember(3, LOOPBACK, 17005, 17006, k);
    assertThatThrownBy(
            () ->
                QuorumConfig.of(
                    1, 1, java.util.List.of(a, b), LOOPBACK, java.nio.file.Path.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                QuorumConfig.of(
                    4, 1, java.util.List.of(a, b, c), LOOPBACK, java.nio.file.Path.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
    var dup = new QuorumMember(3, LOOPBACK, 17001, 17008, k);
    assertThatThrownBy(
            () ->
                QuorumConfig.of(
                    1, 1, java.util.List.of(a, b, dup), LOOPBACK, java.nio.file.Path.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            QuorumConfig.of(2, 1, java.util.List.of(a, b, c), LOOPBACK, java.nio.file.Path.of("x"))
                .majority())
        .isEqualTo(2);
  }
}
