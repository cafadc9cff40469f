package dev.fleetvault.driver.soft;

import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.Drivers;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.tck.TestEnvironment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Opens soft drivers for tests through the real registry (ServiceLoader + allow-list), with cheap
 * KDF settings.
 */
final class SoftTestSupport {

  static final String PASS_VAR = "FV_SOFT_TEST_PASSPHRASE";

  private SoftTestSupport() {}

  static Path newDir() {
    return TestEnvironment.buildDir().resolve("soft-tests").resolve(UUID.randomUUID().toString());
  }

  static Map<String, Object> settings(Path keyFile) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key_file", keyFile.toString());
    m.put("passphrase_env", PASS_VAR);
    m.put("kdf_memory_kib", 8192);
    m.put("kdf_iterations", 1);
    m.put("borrow_timeout", "30s");
    return m;
  }

  static HsmDriver open(Map<String, Object> settings, String passphrase) throws HsmException {
    Drivers drivers = Drivers.load(List.of(SoftDriverProvider.class.getName()), "test allow-list");
    return drivers.open(
        "soft",
        DriverSettings.of(
            "soft test settings", settings, Path.of("/"), Map.of(PASS_VAR, passphrase)));
  }
}
