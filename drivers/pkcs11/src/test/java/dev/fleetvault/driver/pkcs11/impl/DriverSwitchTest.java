package dev.fleetvault.driver.pkcs11.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.Drivers;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.P256Points;
import dev.fleetvault.driver.tck.TestEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Switching a node from the soft driver to PKCS#11 changes only its configuration: one piece of
 * code, written against the SPI, runs against both config sections.
 */
@Tag("process")
class DriverSwitchTest {

  private static final List<String> ALLOWED =
      List.of(
          "dev.fleetvault.driver.soft.SoftDriverProvider",
          "dev.fleetvault.driver.pkcs11.Pkcs11DriverProvider");

  @BeforeAll
  static void softHsm() throws Exception {
    SoftHsm.ensure();
  }

  /** What a node does with its {@code hsm:} section, whatever the driver. */
  @SuppressWarnings("unchecked")
  private static String runMember(Map<String, Object> hsmSection, Map<String, String> env)
      throws Exception {
    Drivers drivers =
        Drivers.load(
            (List<String>) hsmSection.get("allowed_providers"), "node.yaml: hsm.allowed_providers");
    DriverSettings settings =
        DriverSettings.of(
            "node.yaml: hsm.settings",
            (Map<String, ?>) hsmSection.get("settings"),
            Path.of("/"),
            env);
    try (HsmDriver hsm = drivers.open((String) hsmSection.get("driver"), settings)) {
      String suffix = UUID.randomUUID().toString().substring(0, 8);
      String sealLabel = "member-seal-" + suffix;
      KeyHandle seal =
          hsm.findKey(sealLabel).isPresent()
              ? hsm.findKey(sealLabel).get()
              : hsm.generateKey(KeySpec.AES_256, sealLabel);
      KeyHandle id = hsm.generateKey(KeySpec.EC_P256, "member-id-" + suffix);
      byte[] record = "record".getBytes(StandardCharsets.UTF_8);
      assertThat(hsm.unseal(seal, hsm.seal(seal, record, new byte[] {1}), new byte[] {1}))
          .isEqualTo(record);
      Signature v = Signature.getInstance("SHA256withECDSA");
      v.initVerify(hsm.publicKey(id));
      v.update(record);
      assertThat(v.verify(hsm.sign(id, record))).isTrue();
      byte[] self = P256Points.encodeUncompressed((ECPublicKey) hsm.publicKey(id));
      assertThat(hsm.ecdh(id, self)).hasSize(32);
      return hsm.describe().driverId();
    }
  }

  private static Map<String, Object> section(String driver, Map<String, Object> settings) {
    Map<String, Object> hsm = new LinkedHashMap<>();
    hsm.put("driver", driver);
    hsm.put("allowed_providers", ALLOWED);
    hsm.put("settings", settings);
    return hsm;
  }

  @Test
  void runMember_softThenPkcs11_sameCodeOnlyConfigDiffers() throws Exception {
    Map<String, Object> soft = new LinkedHashMap<>();
    soft.put(
        "key_file",
        TestEnvironment.buildDir()
            .resolve("switch-" + UUID.randomUUID() + "/member.keys")
            .toString());
    soft.put("passphrase_env", "FV_SWITCH_PASS");
    soft.put("kdf_memory_kib", 8192);
    soft.put("kdf_iterations", 1);
    assertThat(runMember(section("soft", soft), Map.of("FV_SWITCH_PASS", "dev only")))
        .isEqualTo("soft");
    assertThat(runMember(section("pkcs11", SoftHsm.settings(SoftHsm.MAIN)), Map.of()))
        .isEqualTo("pkcs11");
  }

  @Test
  void open_pkcs11NotAllowed_messageNamesClassAndAllowList() throws Exception {
    Drivers drivers =
        Drivers.load(
            List.of("dev.fleetvault.driver.soft.SoftDriverProvider"),
            "node.yaml: hsm.allowed_providers");
    assertThatThrownBy(
            () ->
                drivers.open(
                    "pkcs11", DriverSettings.of("s", SoftHsm.settings(SoftHsm.MAIN), Path.of("/"))))
        .isInstanceOf(HsmFatalException.class)
        .hasMessageContaining("dev.fleetvault.driver.pkcs11.Pkcs11DriverProvider")
        .hasMessageContaining("add its class name to node.yaml: hsm.allowed_providers");
  }
}
