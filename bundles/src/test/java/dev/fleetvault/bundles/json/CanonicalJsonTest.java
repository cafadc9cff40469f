package dev.fleetvault.bundles.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.bundles.FormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  static byte[] u(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void encode_sortsKeysByUtf16AndEscapesMinimally() {
    Map<String, Object> m =
        Map.of(
            "b",
            1L,
            "a",
            List.of("x\ny\u0001\"\\/é€😀", true, CanonicalJson.NULL),
            "\u20ac",
            2L,
            "\ud83d\ude00",
            3L,
            "\u00e9",
            4L);
    String s = CanonicalJson.encodeToString(m);
    // RFC 8785 §3.2.3: keys sorted by UTF-16 code units: "a" < "b" < "é" (U+00E9) < "€" (U+20AC) <
    // "😀" (U+D83D…)
    assertThat(s)
        .isEqualTo(
            "{\"a\":[\"x\\ny\\u0001\\\"\\\\/é€😀\",true,null],\"b\":1,\"é\":4,\"€\":2,\"😀\":3}");
    assertThat(CanonicalJson.parseCanonical(u(s))).isEqualTo(CanonicalJson.parse(u(s)));
  }

  @Test
  void parseCanonical_nonCanonicalSpellings_rejected() {
    for (String bad :
        new String[] {
          "{\"b\":1,\"a\":2}", "{ \"a\":1}", "{\"a\":\"\\u0041\"}", "{\"a\":\"\\/\"}", "[1,2 ]"
        }) {
      assertThatThrownBy(() -> CanonicalJson.parseCanonical(u(bad)))
          .as(bad)
          .isInstanceOf(FormatException.class);
      CanonicalJson.parse(u(bad)); // but well-formed
    }
  }

  @Test
  void parse_malformedOrOutOfProfile_rejected() {
    for (String bad :
        new String[] {
          "{\"a\":1,\"a\":2}",
          "1.5",
          "1e3",
          "01",
          "-0",
          "9007199254740992",
          "\"\\ud800\"",
          "{\"a\":1}x",
          "[",
          "\"abc",
          "tru",
          "{\"a\"}",
          "\"\u0001\""
        }) {
      assertThatThrownBy(() -> CanonicalJson.parse(u(bad)))
          .as(bad)
          .isInstanceOf(FormatException.class);
    }
    assertThatThrownBy(() -> CanonicalJson.parse(new byte[] {'"', (byte) 0xC3, '"'}))
        .isInstanceOf(FormatException.class);
    assertThat(CanonicalJson.parse(u("9007199254740991"))).isEqualTo(9007199254740991L);
  }

  @Test
  void jsonMap_requireExactly_rejectsUnknownAndMissing() {
    JsonMap m = CanonicalJson.parseObject(u("{\"a\":1,\"b\":\"x\"}"));
    assertThatThrownBy(() -> m.requireExactly("a")).hasMessageContaining("unknown field \"b\"");
    assertThatThrownBy(() -> m.requireExactly("a", "b", "c"))
        .hasMessageContaining("missing field \"c\"");
    assertThat(m.requireExactly("a", "b").integer("a", 0, 5)).isEqualTo(1);
    assertThatThrownBy(() -> m.integer("a", 2, 5)).hasMessageContaining("\"a\"");
  }
}
