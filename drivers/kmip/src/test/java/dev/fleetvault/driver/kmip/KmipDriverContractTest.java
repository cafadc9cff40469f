package dev.fleetvault.driver.kmip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.kmip.client.KmipClient;
import dev.fleetvault.driver.kmip.client.KmipException;
import dev.fleetvault.driver.kmip.impl.KmipHsmDriver;
import dev.fleetvault.driver.kmip.testing.PyKmipExtension;
import dev.fleetvault.driver.kmip.testing.PyKmipServer;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.tck.HsmDriverContract;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.security.Key;
import java.security.PublicKey;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared driver contract on the {@code kmip} driver against a real PyKMIP 0.10 server. PyKMIP
 * cannot keep keys non-extractable, so the driver runs with {@code insecure_allow_extractable_keys:
 * true} and {@link #assertNotExtractable} checks both that the driver itself hands out nothing
 * secret and that the driver's warning about the server is true.
 */
@Tag("process")
@ExtendWith(PyKmipExtension.class)
class KmipDriverContractTest extends HsmDriverContract {

  static HsmDriver open(Map<String, Object> values) throws Exception {
    return new KmipDriverProvider()
        .open(DriverSettings.of("kmip contract test", values, PyKmipExtension.current().dir()));
  }

  static Map<String, Object> settings() {
    Map<String, Object> s = PyKmipExtension.current().driverSettings();
    s.put("insecure_allow_extractable_keys", true);
    s.put("max_sessions", 8);
    return s;
  }

  @Override
  protected HsmDriver openDriver() throws Exception {
    return open(settings());
  }

  @Override
  public HsmDriver openFreshDriver(String name) throws Exception {
    return open(
        settings()); // keys live on the server: a new driver on the same server reaches them
  }

  @Override
  public HsmDriver openWithWrongCredential() throws Exception {
    PyKmipServer server = PyKmipExtension.current();
    Map<String, Object> s = settings();
    s.put("client_certificate", server.dir().resolve("noauth.crt").toString());
    s.put("client_key_file", server.dir().resolve("noauth.key").toString());
    return open(s);
  }

  @Override
  public String expectedWrongCredentialVendorName() {
    return "TLS_HANDSHAKE_FAILURE";
  }

  @Override
  public int operationsPerThread() {
    return 8;
  }

  @Override
  public void assertNotExtractable(HsmDriver d, KeyHandle key) throws Exception {
    for (Method m : d.getClass().getMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Key.class.isAssignableFrom(m.getReturnType())) {
        assertThat(PublicKey.class)
            .as("%s returns %s", m, m.getReturnType())
            .isAssignableFrom(m.getReturnType());
      }
    }
    String extraction = d.describe().details().get("key_extraction");
    assertThat(extraction).as("describe() states whether the server can export keys").isNotNull();
    String uid = key.keyId().substring("kmip:".length()).split("\\|")[0];
    try (KmipClient c = KmipClient.connect(PyKmipExtension.current().clientConfig().build())) {
      if (extraction.startsWith("POSSIBLE")) {
        System.out.println(
            "[contract] WARNING: PyKMIP 0.10 returns key material on Get (no Extractable support); "
                + "the kmip driver refuses such servers unless insecure_allow_extractable_keys is set");
        assertThat(c.get(uid).material()).as("the driver's warning is accurate").isNotEmpty();
      } else {
        assertThatThrownBy(() -> c.get(uid)).isInstanceOf(KmipException.class);
      }
    }
  }

  @Override
  public void assertSessionsReleased(HsmDriver closed) {
    assertThat(((KmipHsmDriver) closed).openConnections()).isZero();
  }
}
