package dev.fleetvault.driver.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strict settings: every error names the source and the key; credentials only from files or
 * environment.
 */
class DriverSettingsTest {

  @TempDir Path dir;

  private DriverSettings settings(Map<String, ?> m) throws HsmFatalException {
    return DriverSettings.of("node.yaml: hsm.settings", m, dir, Map.of("HSM_PIN", "1234"));
  }

  @Test
  void rejectUnknown_unknownKey_namesKeyAndAccepted() throws Exception {
    DriverSettings s = settings(Map.of("libary", "/x", "slot", "1"));
    assertThatThrownBy(() -> s.rejectUnknown("library", "slot"))
        .isInstanceOf(HsmFatalException.class)
        .hasMessageContaining("node.yaml: hsm.settings")
        .hasMessageContaining("unknown key libary")
        .hasMessageContaining("accepted keys: library, slot");
  }

  @Test
  void of_badKeyOrNestedValue_rejected() {
    assertThatThrownBy(() -> settings(Map.of("Slot", "1"))).hasMessageContaining("key 'Slot'");
    assertThatThrownBy(() -> settings(Map.of("slot", List.of(1))))
        .hasMessageContaining("key 'slot'")
        .hasMessageContaining("single value");
  }

  @Test
  void atMostOneOf_contradictoryKeys_namesBoth() throws Exception {
    DriverSettings s = settings(Map.of("slot", "1", "token_label", "a"));
    assertThatThrownBy(() -> s.atMostOneOf("slot", "token_label", "slot_index"))
        .hasMessageContaining("contradictory keys slot and token_label");
  }

  @Test
  void exactlyOneOf_none_namesChoices() throws Exception {
    assertThatThrownBy(() -> settings(Map.of()).exactlyOneOf("slot", "token_label"))
        .hasMessageContaining("set one of slot, token_label");
  }

  @Test
  void typedGetters_badValues_nameKey() throws Exception {
    DriverSettings s =
        settings(
            Map.of("n", "x", "big", 1000, "b", "yes", "d", "5 s", "rel", "lib.so", "empty", " "));
    assertThatThrownBy(() -> s.intValue("n", 1, 1, 10))
        .hasMessageContaining("key 'n'")
        .hasMessageContaining("integer");
    assertThatThrownBy(() -> s.intValue("big", 1, 1, 10))
        .hasMessageContaining("key 'big'")
        .hasMessageContaining("between 1 and 10");
    assertThatThrownBy(() -> s.bool("b", false)).hasMessageContaining("key 'b'");
    assertThatThrownBy(() -> s.duration("d", Duration.ZERO)).hasMessageContaining("key 'd'");
    assertThatThrownBy(() -> s.absolutePath("rel"))
        .hasMessageContaining("key 'rel'")
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> s.string("empty")).hasMessageContaining("key 'empty'");
    assertThatThrownBy(() -> s.string("missing")).hasMessageContaining("key 'missing'");
  }

  @Test
  void typedGetters_goodValues_parsed() throws Exception {
    DriverSettings s =
        settings(Map.of("n", 7, "b", true, "d", "250ms", "d2", "PT3S", "rel", "keys/a.bin"));
    assertThat(s.intValue("n", 1, 1, 10)).isEqualTo(7);
    assertThat(s.bool("b", false)).isTrue();
    assertThat(s.duration("d", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
    assertThat(s.duration("d2", Duration.ZERO)).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.path("rel")).isEqualTo(dir.resolve("keys/a.bin"));
    assertThat(s.intValue("absent", 5, 1, 10)).isEqualTo(5);
  }

  @Test
  void secret_inline_rejectedWithFix() throws Exception {
    DriverSettings s = settings(Map.of("pin", "1234"));
    assertThatThrownBy(() -> s.secret("pin"))
        .hasMessageContaining("key 'pin'")
        .hasMessageContaining("use pin_file or pin_env")
        .hasMessageNotContaining("1234");
  }

  @Test
  void secret_fromFileAndEnv_readAndWipeable() throws Exception {
    Files.writeString(dir.resolve("pin.txt"), "s3cret\n");
    try (SecretChars a = settings(Map.of("pin_file", "pin.txt")).secret("pin");
        SecretChars b = settings(Map.of("pin_env", "HSM_PIN")).secret("pin")) {
      assertThat(a.copyChars()).containsExactly('s', '3', 'c', 'r', 'e', 't');
      assertThat(b.copyChars()).containsExactly('1', '2', '3', '4');
      assertThat(a.toString()).doesNotContain("s3cret");
      a.wipe();
      assertThat(a.isWiped()).isTrue();
      assertThatThrownBy(a::copyChars).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void secret_problems_namedWithoutContent() throws Exception {
    assertThatThrownBy(
            () -> settings(Map.of("pin_file", "pin.txt", "pin_env", "HSM_PIN")).secret("pin"))
        .hasMessageContaining("contradictory keys pin_file and pin_env");
    assertThatThrownBy(() -> settings(Map.of("pin_file", "nope.txt")).secret("pin"))
        .hasMessageContaining("key 'pin_file'");
    assertThatThrownBy(() -> settings(Map.of("pin_env", "UNSET_VAR_X")).secret("pin"))
        .hasMessageContaining("UNSET_VAR_X is not set");
    assertThatThrownBy(() -> settings(Map.of()).secret("pin"))
        .hasMessageContaining("set pin_file")
        .hasMessageContaining("pin_env");
    Files.writeString(dir.resolve("empty.pin"), "\n");
    assertThatThrownBy(() -> settings(Map.of("pin_file", "empty.pin")).secret("pin"))
        .hasMessageContaining("empty");
  }

  @Test
  void parseFile_duplicateKey_rejectedWithLineNumbers() throws Exception {
    Path f = dir.resolve("pkcs11.conf");
    Files.writeString(f, "# driver settings\nlibrary = /usr/lib/x.so\nslot = 1\n\nslot = 2\n");
    assertThatThrownBy(() -> DriverSettings.parseFile(f))
        .hasMessageContaining(f + ":5: duplicate key 'slot' (first set on line 3)");
    Files.writeString(f, "library /usr/lib/x.so\n");
    assertThatThrownBy(() -> DriverSettings.parseFile(f))
        .hasMessageContaining(":1: expected 'key = value'");
  }

  @Test
  void parseFile_valid_keysInOrderAndBaseDirIsFileDir() throws Exception {
    Path f = dir.resolve("soft.conf");
    Files.writeString(f, "key_file = member.keys\npassphrase_env = X\n");
    DriverSettings s = DriverSettings.parseFile(f);
    assertThat(s.keys()).containsExactly("key_file", "passphrase_env");
    assertThat(s.path("key_file")).isEqualTo(dir.resolve("member.keys"));
  }

  @Test
  void toString_listsKeysNotValues() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pin_env", "HSM_PIN");
    assertThat(settings(m).toString()).contains("pin_env").doesNotContain("HSM_PIN");
  }
}
