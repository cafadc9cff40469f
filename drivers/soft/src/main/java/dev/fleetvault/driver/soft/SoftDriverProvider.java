package dev.fleetvault.driver.soft;

import dev.fleetvault.driver.soft.impl.SoftDriver;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmDriverProvider;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.SecretChars;
import java.util.Map;

/**
 * The software driver, id {@code soft}. <b>NOT FOR PRODUCTION</b>: keys live in a file on disk
 * encrypted under a passphrase (AES-256-GCM under an Argon2id-derived key) and in process memory
 * while open, so anyone with the file and the passphrase, or with the process, has the keys. It
 * exists so developers and tests (and the embedded local fleet) run the same SPI without an HSM.
 */
public final class SoftDriverProvider implements HsmDriverProvider {

  /** The id configuration selects this driver by. */
  public static final String ID = "soft";

  /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
  public SoftDriverProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int spiVersion() {
    return CURRENT_SPI_VERSION;
  }

  @Override
  public Class<?> configType() {
    return SoftDriverConfig.class;
  }

  @Override
  public Map<String, String> describeSettings() {
    return SoftDriverConfig.SETTINGS;
  }

  /**
   * Every capability (INSECURE_TEST_KEY_IMPORT only with {@code insecure_test_key_import: true}).
   */
  @Override
  public java.util.Set<dev.fleetvault.driver.spi.Capability> declaredCapabilities() {
    return java.util.EnumSet.allOf(dev.fleetvault.driver.spi.Capability.class);
  }

  @Override
  public HsmDriver open(DriverSettings settings) throws HsmException {
    SoftDriverConfig config = SoftDriverConfig.from(settings);
    try (SecretChars passphrase = settings.secret("passphrase")) {
      return SoftDriver.open(config, passphrase);
    }
  }
}
