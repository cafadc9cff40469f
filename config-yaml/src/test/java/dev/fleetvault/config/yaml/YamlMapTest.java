package dev.fleetvault.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strict YAML layer: parse bounds, duplicate and unknown keys, typed reads. */
class YamlMapTest {
  @TempDir Path dir;

  private YamlMap parse(String yaml) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, yaml);
    return StrictYaml.parse(f);
  }

  private String file() {
    return dir.resolve("c.yaml").toString();
  }

  @Test
  void finish_unknownKey_refusedWithFileLineAndAllowedKeys() throws Exception {
    YamlMap m = parse("a: 1\nb:\n  c: x\n  typo: y\n");
    assertThat(m.integer("a", 0, 10)).isEqualTo(1);
    YamlMap b = m.map("b");
    assertThat(b.string("c")).isEqualTo("x");

    assertThatThrownBy(b::finish)
        .isInstanceOf(ConfigException.class)
        .hasMessage(file() + ":4: unknown key 'b.typo' (allowed here: c)");
  }

  @Test
  void parse_duplicateKey_refusedWithLine() {
    assertThatThrownBy(() -> parse("a: 1\nb: 2\na: 3\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file() + ":3: key 'a' appears twice");
  }

  @Test
  void integer_yaml11NonDecimalForms_refusedAsConfigError() throws Exception {
    for (String v : List.of("0x10", "010", "0b101", "1:30", "99999999999999999999")) {
      YamlMap m = parse("n: " + v + "\n");
      assertThatThrownBy(() -> m.integer("n", 0, Integer.MAX_VALUE))
          .as(v)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(file() + ":1:")
          .hasMessageContaining("key 'n' must be a decimal integer");
    }
  }

  @Test
  void integer_decimalWithSeparators_accepted() throws Exception {
    assertThat(parse("n: 10_000\n").integer("n", 0, 20_000)).isEqualTo(10_000);
  }

  @Test
  void integer_outOfBounds_refusedNamingBounds() throws Exception {
    YamlMap m = parse("n: 11\n");
    assertThatThrownBy(() -> m.integer("n", 1, 10))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file() + ":1: key 'n' must be between 1 and 10, got 11");
  }

  @Test
  void plainScalars_hexInteger_refusedAtThatKey() throws Exception {
    YamlMap m = parse("s:\n  port: 0x1F\n");
    assertThatThrownBy(() -> m.plainScalars("s"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file() + ":2: key 's.port' must be a decimal integer");
  }

  @Test
  void plainScalars_singleValues_typed() throws Exception {
    Map<String, Object> s = parse("s:\n  a: x\n  b: 7\n  c: true\n").plainScalars("s");
    assertThat(s).containsExactly(Map.entry("a", "x"), Map.entry("b", 7L), Map.entry("c", true));
  }

  @Test
  void plainScalars_nestedValue_refused() throws Exception {
    YamlMap m = parse("s:\n  a: [1, 2]\n");
    assertThatThrownBy(() -> m.plainScalars("s"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 's.a' must be a single value");
  }

  @Test
  void string_presentWithoutValue_refusedNotDefaulted() throws Exception {
    YamlMap m = parse("a:\n");
    assertThatThrownBy(() -> m.string("a", "dflt"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file() + ":1: key 'a' has no value");
  }

  @Test
  void parsed_parserRefuses_configErrorAtKeyWithParsersMessage() throws Exception {
    YamlMap m = parse("addr: nonsense\n");
    assertThatThrownBy(
            () ->
                m.parsed(
                    "addr",
                    KeyRecorder.Kind.HOST_PORT,
                    "host:port",
                    s -> {
                      throw new IllegalArgumentException("no port in '" + s + "'");
                    }))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file() + ":1: key 'addr': no port in 'nonsense'");
  }

  @Test
  void parse_tooManyAliases_refused() {
    StringBuilder y = new StringBuilder("a: &x [1]\nl:\n");
    for (int i = 0; i <= StrictYaml.MAX_ALIASES; i++) {
      y.append("  - *x\n");
    }
    assertThatThrownBy(() -> parse(y.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file());
  }

  @Test
  void parse_tooDeep_refused() {
    StringBuilder y = new StringBuilder();
    for (int i = 0; i <= StrictYaml.MAX_NESTING + 1; i++) {
      y.append("  ".repeat(i)).append("k").append(i).append(":\n");
    }
    y.append("  ".repeat(StrictYaml.MAX_NESTING + 2)).append("v: 1\n");
    assertThatThrownBy(() -> parse(y.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file());
  }

  @Test
  void parse_largerThanTheLimit_refused() {
    String big = "a: \"" + "x".repeat(StrictYaml.MAX_FILE_CHARS) + "\"\n";
    assertThatThrownBy(() -> parse(big))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file());
  }

  @Test
  void parse_topLevelNotAMapping_refused() {
    assertThatThrownBy(() -> parse("- a\n- b\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file() + ": the file must hold a YAML mapping (key: value lines)");
  }

  @Test
  void parse_tagNamingAJavaClass_neverConstructed() {
    assertThatThrownBy(() -> parse("a: !!java.io.File /tmp\n").string("a"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file() + ":1:");
  }
}
