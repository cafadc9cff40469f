package org.example.fleetvault.driver;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmDriverProvider;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.SecretChars;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The entry point of the template driver, id {@code template}: found by {@link
 * java.util.ServiceLoader} through {@code
 * META-INF/services/dev.fleetvault.driver.spi.HsmDriverProvider}. Does no I/O until {@link #open}.
 * Rename it and its id for your device.
 */
public final class TemplateDriverProvider implements HsmDriverProvider {

  /** The id configuration selects this driver by ({@code hsm.driver: template}). */
  public static final String ID = "template";

  private static final Map<String, String> SETTINGS;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("device", "name of the (emulated) device to open; required");
    m.put("pin_file", "file holding the device PIN (or pin_env; exactly one)");
    m.put("pin_env", "environment variable holding the device PIN (or pin_file)");
    m.put("max_sessions", "calls on the device at once (default 4)");
    SETTINGS = Map.copyOf(m);
  }

  /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
  public TemplateDriverProvider() {}

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
    return TemplateDriverProvider.class;
  }

  @Override
  public Map<String, String> describeSettings() {
    return SETTINGS;
  }

  @Override
  public Set<Capability> declaredCapabilities() {
    return EnumSet.of(Capability.GENERATE_AES_256, Capability.SEAL_AES_GCM, Capability.RANDOM);
  }

  @Override
  public HsmDriver open(DriverSettings settings) throws HsmException {
    settings.rejectUnknown(SETTINGS.keySet());
    String device = settings.string("device");
    int sessions = settings.intValue("max_sessions", 4, 1, 64);
    try (SecretChars pin = settings.secret("pin")) {
      return TemplateDriver.open(device, pin, sessions);
    }
  }
}
