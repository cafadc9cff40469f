package dev.fleetvault.driver.soft;

import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmFatalException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of the software driver (id {@code soft}; DEVELOPMENT AND TESTS ONLY). The passphrase is
 * not part of this record: it is read from {@code passphrase_file} or {@code passphrase_env} at
 * open time and wiped after the key file is decrypted.
 *
 * @param keyFile the encrypted key file (created on first open when {@code create} is true)
 * @param create whether a missing key file is created (default true)
 * @param maxSessions concurrent calls allowed (default 16)
 * @param borrowTimeout how long a call waits for a free slot before a retryable BUSY (default 2s)
 * @param kdfMemoryKib Argon2id memory in KiB for a NEW key file (default 65536; existing files keep
 *     theirs)
 * @param kdfIterations Argon2id iterations for a NEW key file (default 3)
 * @param insecureTestKeyImport allow {@link dev.fleetvault.driver.spi.InsecureTestKeyImport} (tests
 *     only; default false)
 */
public record SoftDriverConfig(
    Path keyFile,
    boolean create,
    int maxSessions,
    Duration borrowTimeout,
    int kdfMemoryKib,
    int kdfIterations,
    boolean insecureTestKeyImport) {

  /** Setting keys and what they mean. */
  public static final Map<String, String> SETTINGS = settings();

  private static Map<String, String> settings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(
        "key_file",
        "path of the passphrase-encrypted key file (relative to the config's directory)");
    m.put(
        "passphrase_file",
        "file holding the key file passphrase (one of passphrase_file / passphrase_env)");
    m.put("passphrase_env", "environment variable holding the key file passphrase");
    m.put("create", "create the key file if missing (true|false, default true)");
    m.put("max_sessions", "concurrent calls allowed (1..256, default 16)");
    m.put("borrow_timeout", "wait for a free slot before a retryable BUSY error (default 2s)");
    m.put(
        "kdf_memory_kib",
        "Argon2id memory for a new key file in KiB (8192..4194304, default 65536)");
    m.put("kdf_iterations", "Argon2id iterations for a new key file (1..20, default 3)");
    m.put(
        "insecure_test_key_import", "allow importing known test keys (tests only, default false)");
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * Parses and validates {@code s} strictly (unknown keys rejected). Does not read the passphrase.
   */
  public static SoftDriverConfig from(DriverSettings s) throws HsmFatalException {
    List<String> allowed = new ArrayList<>(SETTINGS.keySet());
    s.rejectUnknown(allowed);
    s.exactlyOneOf("passphrase_file", "passphrase_env");
    return new SoftDriverConfig(
        s.path("key_file"),
        s.bool("create", true),
        s.intValue("max_sessions", 16, 1, 256),
        s.duration("borrow_timeout", Duration.ofSeconds(2)),
        s.intValue("kdf_memory_kib", 65536, 8192, 4 * 1024 * 1024),
        s.intValue("kdf_iterations", 3, 1, 20),
        s.bool("insecure_test_key_import", false));
  }
}
