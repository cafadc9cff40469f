package dev.fleetvault.driver.pkcs11;

import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmFatalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the PKCS#11 driver (id {@code pkcs11}). The PIN is not part of this record: it is
 * read from {@code pin_file} or {@code pin_env} at open time and wiped after login.
 *
 * @param library absolute path of the vendor's PKCS#11 module
 * @param slot which slot to use
 * @param maxSessions calls run against the token at once (the session pool size, default 8)
 * @param borrowTimeout how long a call waits for a session before a retryable BUSY (default 2s)
 * @param insecureTestKeyImport allow importing test keys as session objects (tests only, default
 *     false)
 */
public record Pkcs11Config(
    Path library,
    SlotSelection slot,
    int maxSessions,
    Duration borrowTimeout,
    boolean insecureTestKeyImport) {

  /**
   * How the slot is chosen: exactly one of {@code slot}, {@code slot_index}, {@code token_label}.
   */
  public sealed interface SlotSelection permits SlotId, SlotIndex, TokenLabel {}

  /**
   * A slot by its PKCS#11 slot id ({@code slot}). Slot ids may change when tokens are
   * re-initialised.
   */
  public record SlotId(long id) implements SlotSelection {}

  /**
   * A slot by its index in the library's full slot list, as SunPKCS11's {@code slotListIndex}
   * ({@code slot_index}).
   */
  public record SlotIndex(int index) implements SlotSelection {}

  /** The slot whose token has this label ({@code token_label}); the stable choice. */
  public record TokenLabel(String label) implements SlotSelection {}

  /** Setting keys and what they mean. */
  public static final Map<String, String> SETTINGS = settings();

  private static Map<String, String> settings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("library", "absolute path of the PKCS#11 module (.so)");
    m.put(
        "token_label",
        "choose the slot whose token has this label (one of token_label / slot / slot_index)");
    m.put("slot", "choose the slot by PKCS#11 slot id");
    m.put(
        "slot_index",
        "choose the slot by index in the library's slot list (SunPKCS11 slotListIndex)");
    m.put("pin_file", "file holding the user PIN (one of pin_file / pin_env)");
    m.put("pin_env", "environment variable holding the user PIN");
    m.put("max_sessions", "calls run against the token at once (1..256, default 8)");
    m.put("borrow_timeout", "wait for a free session before a retryable BUSY error (default 2s)");
    m.put(
        "insecure_test_key_import",
        "allow importing known test keys as session objects (tests only, default false)");
    return Collections.unmodifiableMap(m);
  }

  /**
   * Parses {@code s} strictly: unknown keys, contradictions, relative or missing library rejected,
   * naming the key.
   */
  public static Pkcs11Config from(DriverSettings s) throws HsmFatalException {
    s.rejectUnknown(SETTINGS.keySet());
    s.exactlyOneOf("token_label", "slot", "slot_index");
    s.exactlyOneOf("pin_file", "pin_env");
    Path library = s.absolutePath("library");
    if (!Files.isRegularFile(library)) {
      throw DriverSettings.configError(s.sourceName(), "library", "no such file: " + library);
    }
    SlotSelection slot;
    if (s.has("token_label")) {
      String label = s.string("token_label");
      if (label.length() > 32) {
        throw DriverSettings.configError(
            s.sourceName(), "token_label", "a PKCS#11 token label has at most 32 characters");
      }
      slot = new TokenLabel(label);
    } else if (s.has("slot")) {
      String v = s.string("slot");
      try {
        long id = Long.parseLong(v);
        if (id < 0) {
          throw new NumberFormatException();
        }
        slot = new SlotId(id);
      } catch (NumberFormatException e) {
        throw DriverSettings.configError(
            s.sourceName(), "slot", "expected a non-negative slot id, got '" + v + "'");
      }
    } else {
      slot = new SlotIndex(s.intValue("slot_index", 0, 1023));
    }
    return new Pkcs11Config(
        library,
        slot,
        s.intValue("max_sessions", 8, 1, 256),
        s.duration("borrow_timeout", Duration.ofSeconds(2)),
        s.bool("insecure_test_key_import", false));
  }
}
