package dev.fleetvault.driver.pkcs11.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.pkcs11.Pkcs11DriverProvider;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.Drivers;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.tck.HsmDriverContract;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;

/** The driver contract on the PKCS#11 driver against a real SoftHSM2 token. */
@Tag("process")
class Pkcs11DriverContractTest extends HsmDriverContract {

  private final Map<String, String> freshTokens = new ConcurrentHashMap<>();

  static HsmDriver open(Map<String, Object> settings) throws HsmException {
    Drivers drivers =
        Drivers.load(List.of(Pkcs11DriverProvider.class.getName()), "test allow-list");
    return drivers.open(
        "pkcs11", DriverSettings.of("pkcs11 test settings", settings, Path.of("/")));
  }

  @Override
  protected HsmDriver openDriver() throws Exception {
    SoftHsm.ensure();
    Map<String, Object> s = SoftHsm.settings(SoftHsm.MAIN);
    s.put("insecure_test_key_import", true);
    return open(s);
  }

  @Override
  public HsmDriver openFreshDriver(String name) throws Exception {
    String token;
    synchronized (freshTokens) {
      token = freshTokens.get(name);
      if (token == null) {
        token = SoftHsm.FRESH.get(freshTokens.size());
        freshTokens.put(name, token);
      }
    }
    return open(SoftHsm.settings(token));
  }

  @Override
  public HsmDriver openWithWrongCredential() throws Exception {
    return open(SoftHsm.wrongPinSettings());
  }

  @Override
  public String expectedWrongCredentialVendorName() {
    return "CKR_PIN_INCORRECT";
  }

  @Override
  public void assertNotExtractable(HsmDriver d, KeyHandle key) throws Exception {
    Pkcs11Driver p = (Pkcs11Driver) d;
    Key k = p.tokenKey(key);
    assertThat(k.getEncoded()).as("encoded form of a token key").isNull();
    // SunPKCS11 prints the CKA_SENSITIVE / CKA_EXTRACTABLE it read from the token.
    assertThat(k.toString())
        .contains("token object", "sensitive", "unextractable")
        .doesNotContain("not sensitive");
    if (k instanceof SecretKey sk) {
      assertThatThrownBy(
              () ->
                  SecretKeyFactory.getInstance("AES", p.provider())
                      .getKeySpec(sk, SecretKeySpec.class))
          .isInstanceOf(java.security.spec.InvalidKeySpecException.class);
    } else {
      PrivateKey pk = (PrivateKey) k;
      KeyFactory kf = KeyFactory.getInstance("EC", p.provider());
      assertThatThrownBy(() -> kf.getKeySpec(pk, ECPrivateKeySpec.class))
          .isInstanceOf(java.security.spec.InvalidKeySpecException.class);
      assertThatThrownBy(() -> kf.getKeySpec(pk, PKCS8EncodedKeySpec.class))
          .isInstanceOf(java.security.spec.InvalidKeySpecException.class);
    }
  }

  @Override
  public void assertSessionsReleased(HsmDriver closed) throws Exception {
    Pkcs11Driver p = (Pkcs11Driver) closed;
    assertThat(p.gate().inUse()).isZero();
    assertThat(p.tokenReleased()).as("logged out as the token's last driver in this JVM").isTrue();
    // destroyTokenAfterLogout: SunPKCS11 dropped the token and closed its session pools.
    assertThatThrownBy(() -> KeyStore.getInstance("PKCS11", p.provider()))
        .isInstanceOf(KeyStoreException.class);
  }
}
