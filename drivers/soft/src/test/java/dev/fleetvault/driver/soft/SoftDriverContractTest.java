package dev.fleetvault.driver.soft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.driver.soft.impl.SoftDriver;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.tck.HsmDriverContract;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The driver contract on the soft driver. */
class SoftDriverContractTest extends HsmDriverContract {

  private final Path dir = SoftTestSupport.newDir();
  private final Map<HsmDriver, Path> files = new ConcurrentHashMap<>();

  @Override
  protected HsmDriver openDriver() throws Exception {
    Map<String, Object> s = SoftTestSupport.settings(dir.resolve("shared.keys"));
    s.put("insecure_test_key_import", true);
    HsmDriver d = SoftTestSupport.open(s, "shared passphrase");
    files.put(d, dir.resolve("shared.keys"));
    return d;
  }

  @Override
  public HsmDriver openFreshDriver(String name) throws Exception {
    Path f = dir.resolve(name + ".keys");
    HsmDriver d = SoftTestSupport.open(SoftTestSupport.settings(f), "fresh passphrase");
    files.put(d, f);
    return d;
  }

  @Override
  public HsmDriver openWithWrongCredential() throws Exception {
    Path f = dir.resolve("wrong-pass.keys");
    if (!Files.exists(f)) {
      SoftTestSupport.open(SoftTestSupport.settings(f), "right passphrase").close();
    }
    return SoftTestSupport.open(SoftTestSupport.settings(f), "wrong passphrase");
  }

  @Override
  public String expectedWrongCredentialVendorName() {
    return "SOFT_BAD_PASSPHRASE";
  }

  @Override
  public void assertNotExtractable(HsmDriver d, KeyHandle key) throws Exception {
    // No public method of the driver hands out a secret or private key object.
    for (Method m : d.getClass().getMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Key.class.isAssignableFrom(m.getReturnType())) {
        assertThat(PublicKey.class)
            .as("%s returns %s", m, m.getReturnType())
            .isAssignableFrom(m.getReturnType());
      }
    }
    // At rest the key file shows neither the label nor (for key pairs) the public key: it is all
    // ciphertext.
    byte[] file = Files.readAllBytes(files.get(d));
    assertThat(indexOf(file, key.label().getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    if (key.spec() != KeySpec.AES_256) {
      byte[] pub = d.publicKey(key).getEncoded();
      assertThat(indexOf(file, java.util.Arrays.copyOfRange(pub, pub.length - 32, pub.length)))
          .isEqualTo(-1);
    }
  }

  @Override
  public void assertSessionsReleased(HsmDriver closed) throws Exception {
    assertThat(((SoftDriver) closed).sessionsInUse()).isZero();
    // The key file lock is released: the same file opens again.
    Map<String, Object> s = SoftTestSupport.settings(files.get(closed));
    SoftTestSupport.open(s, "fresh passphrase").close();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
