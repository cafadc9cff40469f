package dev.fleetvault.cli.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DevTokensTest {
  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    Instant now = Instant.ofEpochSecond(1_800_000_000L);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();

  private DevTokens tokens() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    PrivateKey key = g.generateKeyPair().getPrivate();
    return new DevTokens("dev-app", "test", key, Duration.ofMinutes(10), clock);
  }

  private static String get(DevTokens t, String user) throws Exception {
    return t.tokenFor(user).toCompletableFuture().get();
  }

  @Test
  void tokenFor_withinHalfLifetime_sameToken() throws Exception {
    DevTokens t = tokens();
    String first = get(t, "ann");
    clock.now = clock.now.plusSeconds(299);
    assertThat(get(t, "ann")).isEqualTo(first);
  }

  @Test
  void tokenFor_afterHalfLifetime_freshTokenWithLaterExpiry() throws Exception {
    DevTokens t = tokens();
    String first = get(t, "ann");
    clock.now = clock.now.plusSeconds(300);
    String second = get(t, "ann");
    assertThat(second).isNotEqualTo(first);
    assertThat(claims(second)).contains("\"exp\":" + (1_800_000_000L + 300 + 600));
  }

  @Test
  void tokenFor_otherUser_ownToken() throws Exception {
    DevTokens t = tokens();
    assertThat(claims(get(t, "bob"))).contains("\"sub\":\"bob\"");
    assertThat(get(t, "ann")).isNotEqualTo(get(t, "bob"));
  }

  @Test
  void tokenFor_badUser_failedStage() throws Exception {
    // PROTOCOL.md 3.1: 1..128 UTF-8 bytes; "a b" and "jos\u00e9" are user ids, 129 bytes and "" are
    // not
    assertThat(tokens().tokenFor("x".repeat(129)).toCompletableFuture()).isCompletedExceptionally();
    assertThat(tokens().tokenFor("").toCompletableFuture()).isCompletedExceptionally();
    DevTokens t = tokens();
    assertThat(claims(get(t, "a b"))).contains("\"sub\":\"a b\"").contains("\"aud\":\"test\"");
    assertThat(claims(get(t, "jos\u00e9"))).contains("\"sub\":\"jos\u00e9\"");
    assertThat(claims(get(t, "q\"uote"))).contains("\"sub\":\"q\\\"uote\"");
  }

  private static String claims(String token) {
    return new String(
        java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
        java.nio.charset.StandardCharsets.UTF_8);
  }
}
