package dev.fleetvault.driver.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.config.yaml.StrictYaml;
import dev.fleetvault.config.yaml.YamlMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one reader of the {@code hsm:} section. */
class HsmSectionTest {
  @TempDir Path dir;

  private YamlMap hsm(String body) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "hsm:\n" + body);
    return StrictYaml.parse(f).map("hsm");
  }

  @Test
  void read_allKeys_values() throws Exception {
    YamlMap h =
        hsm(
            "  driver: soft\n  allowed_providers: [a.B]\n  settings: {key_file: k, slot: 3}\n"
                + "  workers: 4\n  queue: 9\n  timeout_ms: 500\n");
    HsmSection s = HsmSection.read(h);
    h.finish();

    assertThat(s)
        .isEqualTo(
            new HsmSection("soft", List.of("a.B"), Map.of("key_file", "k", "slot", 3L), 4, 9, 500));
  }

  @Test
  void read_onlyDriver_defaults() throws Exception {
    HsmSection s = HsmSection.read(hsm("  driver: pkcs11\n"));

    assertThat(s.allowedProviders()).isEmpty();
    assertThat(s.settings()).isEmpty();
    assertThat(s.workers()).isEqualTo(HsmSection.DEFAULT_WORKERS);
    assertThat(s.queue()).isEqualTo(HsmSection.DEFAULT_QUEUE);
    assertThat(s.timeoutMs()).isEqualTo(HsmSection.DEFAULT_TIMEOUT_MS);
  }

  @Test
  void read_noDriver_refusedWithFileLine() throws Exception {
    YamlMap h = hsm("  settings: {a: b}\n");

    assertThatThrownBy(() -> HsmSection.read(h))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("c.yaml:2: missing required key 'hsm.driver'");
  }

  @Test
  void read_timeoutOutOfRange_refused() throws Exception {
    YamlMap h = hsm("  driver: soft\n  timeout_ms: 5\n");

    assertThatThrownBy(() -> HsmSection.read(h))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'hsm.timeout_ms' must be between 10 and 600000");
  }

  @Test
  void readKeyOnly_poolKey_leftUnreadSoFinishRefusesIt() throws Exception {
    YamlMap h = hsm("  driver: soft\n  workers: 2\n");
    HsmSection s = HsmSection.readKeyOnly(h);

    assertThat(s.workers()).isEqualTo(HsmSection.DEFAULT_WORKERS);
    assertThatThrownBy(h::finish)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'hsm.workers'");
  }

  @Test
  void settings_copiedAndUnmodifiable() {
    java.util.Map<String, Object> in = new java.util.HashMap<>(Map.of("a", "b"));
    HsmSection s = new HsmSection("soft", List.of(), in, 0, 1, 10);
    in.put("c", "d");

    assertThat(s.settings()).containsOnlyKeys("a");
    assertThatThrownBy(() -> s.settings().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
