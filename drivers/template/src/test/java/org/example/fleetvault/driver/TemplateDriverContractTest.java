package org.example.fleetvault.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.tck.HsmDriverContract;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.security.Key;
import java.security.PublicKey;
import java.util.Map;
import java.util.UUID;

/** The whole driver contract on the template driver: copy this class for your driver. */
class TemplateDriverContractTest extends HsmDriverContract {

  private static final Map<String, String> ENV =
      Map.of("TEMPLATE_PIN", "1234", "WRONG_PIN", "9999");
  private final String device = "tck-" + UUID.randomUUID();

  private static HsmDriver open(String device, String pinEnv) throws Exception {
    return new TemplateDriverProvider()
        .open(
            DriverSettings.of(
                "template contract test",
                Map.of("device", device, "pin_env", pinEnv),
                Path.of("."),
                ENV));
  }

  @Override
  protected HsmDriver openDriver() throws Exception {
    return open(device, "TEMPLATE_PIN");
  }

  @Override
  public HsmDriver openFreshDriver(String name) throws Exception {
    return open(name, "TEMPLATE_PIN");
  }

  @Override
  public HsmDriver openWithWrongCredential() throws Exception {
    return open(device, "WRONG_PIN");
  }

  @Override
  public String expectedWrongCredentialVendorName() {
    return "TEMPLATE_PIN_INCORRECT";
  }

  @Override
  public void assertNotExtractable(HsmDriver d, KeyHandle key) {
    for (Method m : d.getClass().getMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Key.class.isAssignableFrom(m.getReturnType())) {
        assertThat(PublicKey.class)
            .as("%s returns %s", m, m.getReturnType())
            .isAssignableFrom(m.getReturnType());
      }
    }
  }

  @Override
  public void assertSessionsReleased(HsmDriver closed) {
    assertThat(((TemplateDriver) closed).sessionsInUse()).isZero();
  }
}
