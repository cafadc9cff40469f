package dev.fleetvault.driver.kmip;

import dev.fleetvault.driver.kmip.impl.KmipHsmDriver;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmDriverProvider;
import dev.fleetvault.driver.spi.HsmException;
import java.util.Map;

/**
 * The {@code kmip} driver: keys live on a KMIP 1.4 server (an HSM or key manager) reached over
 * mutually authenticated TLS 1.2. Seal/unseal is AES-256-GCM inside the server, signing uses the
 * server's key pairs; capabilities come from the server's Query answer and start-up probes.
 *
 * <p>Guarantees: no I/O before {@link #open}; thread-safe; settings are strict ({@link
 * KmipDriverConfig#describe()}).
 */
public final class KmipDriverProvider implements HsmDriverProvider {
  /** The driver id used in configuration. */
  public static final String ID = "kmip";

  /** For {@link java.util.ServiceLoader}. */
  public KmipDriverProvider() {}

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
    return KmipDriverConfig.class;
  }

  @Override
  public Map<String, String> describeSettings() {
    return KmipDriverConfig.describe();
  }

  /** What the driver implements over KMIP; the server may offer less (probed when opened). */
  @Override
  public java.util.Set<dev.fleetvault.driver.spi.Capability> declaredCapabilities() {
    return java.util.EnumSet.of(
        dev.fleetvault.driver.spi.Capability.GENERATE_AES_256,
        dev.fleetvault.driver.spi.Capability.SEAL_AES_GCM,
        dev.fleetvault.driver.spi.Capability.GENERATE_RSA_2048,
        dev.fleetvault.driver.spi.Capability.SIGN_RSA_PSS,
        dev.fleetvault.driver.spi.Capability.RANDOM,
        dev.fleetvault.driver.spi.Capability.PERSISTENT_KEYS);
  }

  @Override
  public HsmDriver open(DriverSettings settings) throws HsmException {
    return KmipHsmDriver.open(settings);
  }
}
