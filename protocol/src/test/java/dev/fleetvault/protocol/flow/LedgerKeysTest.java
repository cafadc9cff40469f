package dev.fleetvault.protocol.flow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LedgerKeys: the one key of a user's ledger rows and sealed records. */
class LedgerKeysTest {
  /**
   * Property: the key is injective over (app, user bytes), also where a naive "app/user" join
   * collides.
   */
  @Test
  void of_distinctAppUserPairs_distinctKeys() {
    Map<String, String> seen = new HashMap<>();
    Random r = new Random(7);
    String[] apps = {"a", "a.b", "a-b", "dev-app", "x_y", "A"};
    for (String app : apps) {
      for (int i = 0; i < 300; i++) {
        byte[] u = new byte[1 + r.nextInt(4)];
        r.nextBytes(u);
        String pair = app + "\u0000" + java.util.HexFormat.of().formatHex(u);
        String prev = seen.put(LedgerKeys.of(app, u), pair);
        assertThat(prev == null || prev.equals(pair))
            .as("collision for %s and %s", prev, pair)
            .isTrue();
      }
    }
    // "app/x" + "y" vs "app" + "x/y" cannot collide: app ids have no '/'
    assertThat(LedgerKeys.of("app", "x/y".getBytes(UTF_8))).isNotEqualTo("app/x/y");
  }

  /**
   * Property: the longest app id with the longest user id gives a key of at most 256 UTF-8 bytes.
   */
  @Test
  void of_longestInputs_atMost256Bytes() {
    String key = LedgerKeys.of("a".repeat(64), new byte[128]);
    assertThat(key.getBytes(UTF_8).length)
        .isLessThanOrEqualTo(LedgerKeys.MAX_LENGTH)
        .isEqualTo(236);
  }

  /**
   * Property: app ids outside [A-Za-z0-9._-]{1,64} and user ids outside 1..128 bytes are refused
   * with the rule.
   */
  @Test
  void of_badAppOrUser_illegalArgumentNamingTheRule() {
    for (String bad : new String[] {"", "a/b", "a b", "ä", "a".repeat(65)}) {
      assertThatThrownBy(() -> LedgerKeys.of(bad, new byte[1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[A-Za-z0-9._-]");
    }
    assertThatThrownBy(() -> LedgerKeys.of("app", new byte[0]))
        .hasMessageContaining("1..128 bytes");
    assertThatThrownBy(() -> LedgerKeys.of("app", new byte[129]))
        .hasMessageContaining("1..128 bytes");
  }
}
