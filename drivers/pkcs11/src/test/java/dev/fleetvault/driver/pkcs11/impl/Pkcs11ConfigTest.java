package dev.fleetvault.driver.pkcs11.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.pkcs11.Pkcs11Config;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmFatalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strict PKCS#11 settings: unknown keys, contradictions, bad paths and inline PINs are refused
 * naming the key.
 */
class Pkcs11ConfigTest {

  @TempDir Path dir;

  private Map<String, Object> base() throws Exception {
    Path lib = dir.resolve("libvendor.so");
    if (!Files.exists(lib)) {
      Files.writeString(lib, "not really a library");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("library", lib.toString());
    m.put("token_label", "member-1");
    m.put("pin_env", "HSM_PIN");
    return m;
  }

  private static Pkcs11Config parse(Map<String, Object> m) throws HsmFatalException {
    return Pkcs11Config.from(DriverSettings.of("node.yaml: hsm.settings", m, Path.of("/")));
  }

  private static void assertConfigError(Map<String, Object> m, String... fragments) {
    assertThatThrownBy(() -> parse(m))
        .isInstanceOf(HsmFatalException.class)
        .satisfies(e -> assertThat(((HsmException) e).kind()).isEqualTo(HsmException.Kind.CONFIG))
        .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
  }

  @Test
  void from_validSettings_parsedWithDefaults() throws Exception {
    Pkcs11Config c = parse(base());
    assertThat(c.slot()).isEqualTo(new Pkcs11Config.TokenLabel("member-1"));
    assertThat(c.maxSessions()).isEqualTo(8);
    assertThat(c.borrowTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.insecureTestKeyImport()).isFalse();
  }

  @Test
  void from_unknownKey_rejectedNamingKey() throws Exception {
    Map<String, Object> m = base();
    m.put("slot_list_index", 0);
    assertConfigError(m, "unknown key slot_list_index", "accepted keys:");
  }

  @Test
  void from_slotAndTokenLabel_contradictionNamed() throws Exception {
    Map<String, Object> m = base();
    m.put("slot", 3);
    assertConfigError(m, "contradictory keys", "token_label", "slot");
  }

  @Test
  void from_noSlotChoice_rejectedListingChoices() throws Exception {
    Map<String, Object> m = base();
    m.remove("token_label");
    assertConfigError(m, "set one of token_label, slot, slot_index");
  }

  @Test
  void from_relativeOrMissingLibrary_rejectedNamingLibrary() throws Exception {
    Map<String, Object> m = base();
    m.put("library", "libsofthsm2.so");
    assertConfigError(m, "key 'library'", "absolute");
    m.put("library", dir.resolve("missing.so").toString());
    assertConfigError(m, "key 'library'", "no such file");
  }

  @Test
  void from_inlinePinOrTwoPinSources_rejected() throws Exception {
    Map<String, Object> m = base();
    m.put("pin", "1234");
    assertThatThrownBy(() -> parse(m))
        .hasMessageContaining("unknown key pin")
        .hasMessageNotContaining("1234");
    Map<String, Object> two = base();
    two.put("pin_file", "/run/secrets/pin");
    assertConfigError(two, "contradictory keys pin_file and pin_env");
  }

  @Test
  void from_badNumbers_rejectedNamingKey() throws Exception {
    Map<String, Object> m = base();
    m.put("max_sessions", 0);
    assertConfigError(m, "key 'max_sessions'", "between 1 and 256");
    Map<String, Object> s = base();
    s.remove("token_label");
    s.put("slot", "-1");
    assertConfigError(s, "key 'slot'");
    Map<String, Object> t = base();
    t.put("borrow_timeout", "soon");
    assertConfigError(t, "key 'borrow_timeout'");
  }

  @Test
  void from_tokenLabelTooLong_rejected() throws Exception {
    Map<String, Object> m = base();
    m.put("token_label", "x".repeat(33));
    assertConfigError(m, "key 'token_label'", "32");
  }

  @Test
  void parseFile_duplicateSlot_rejectedWithLineNumbers() throws Exception {
    Path f = dir.resolve("pkcs11.conf");
    Files.writeString(
        f, "library = " + base().get("library") + "\nslot = 1\npin_env = P\nslot = 2\n");
    assertThatThrownBy(() -> DriverSettings.parseFile(f))
        .hasMessageContaining(":4: duplicate key 'slot' (first set on line 2)");
  }

  @Test
  void open_libraryPathWithNewline_refusedBeforeConfiguring() throws Exception {
    Path odd = dir.resolve("lib\nattributes.so");
    Files.writeString(odd, "x");
    Map<String, Object> m = base();
    m.put("library", odd.toString());
    m.remove("token_label");
    m.put("slot", 0);
    Pkcs11Config c = parse(m);
    assertThatThrownBy(() -> SunPkcs11ConfigText.build(c.library(), "slot = 0", false))
        .hasMessageContaining("key 'library'");
  }
}
