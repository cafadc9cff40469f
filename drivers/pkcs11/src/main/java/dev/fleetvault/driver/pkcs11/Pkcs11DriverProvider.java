package dev.fleetvault.driver.pkcs11;

import dev.fleetvault.driver.pkcs11.impl.Pkcs11Driver;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmDriverProvider;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.SecretChars;
import java.util.Map;

/**
 * The PKCS#11 driver, id {@code pkcs11}, over the JDK's own SunPKCS11 provider configured at run
 * time. Keys are generated on the token as sensitive and non-extractable and stored under their
 * labels; capabilities come from the token's mechanism list.
 *
 * <p>For {@code token_label} and for the token facts in {@code describe()} the JVM needs {@code
 * --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}; without it configure
 * {@code slot} or {@code slot_index} and {@code describe()} reports less.
 */
public final class Pkcs11DriverProvider implements HsmDriverProvider {

  /** The id configuration selects this driver by. */
  public static final String ID = "pkcs11";

  /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
  public Pkcs11DriverProvider() {}

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
    return Pkcs11Config.class;
  }

  @Override
  public Map<String, String> describeSettings() {
    return Pkcs11Config.SETTINGS;
  }

  /** What SunPKCS11 can reach; a token without a mechanism reports less once open. */
  @Override
  public java.util.Set<dev.fleetvault.driver.spi.Capability> declaredCapabilities() {
    return java.util.EnumSet.complementOf(
        java.util.EnumSet.of(
            dev.fleetvault.driver.spi.Capability.GENERATE_ED25519,
            dev.fleetvault.driver.spi.Capability.SIGN_ED25519,
            dev.fleetvault.driver.spi.Capability.KEY_ATTESTATION));
  }

  @Override
  public HsmDriver open(DriverSettings settings) throws HsmException {
    Pkcs11Config config = Pkcs11Config.from(settings);
    try (SecretChars pin = settings.secret("pin")) {
      return Pkcs11Driver.open(config, pin);
    }
  }
}
