package dev.fleetvault.driver.soft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.soft.impl.SoftDriver;
import dev.fleetvault.driver.spi.Attestation;
import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeyProvenance;
import dev.fleetvault.driver.spi.KeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The soft driver's provenance and its clearly labelled development attestation. */
class SoftAttestationTest {

  @Test
  void attest_generatedKey_devAttestationSignedByStableDeviceKey() throws Exception {
    Path dir = SoftTestSupport.newDir();
    String deviceKey;
    try (HsmDriver d =
        SoftTestSupport.open(SoftTestSupport.settings(dir.resolve("a.keys")), "pw")) {
      assertThat(d.capabilities()).contains(Capability.KEY_PROVENANCE, Capability.KEY_ATTESTATION);
      KeyHandle k = d.generateKey(KeySpec.EC_P256, "m1.sign");
      KeyProvenance p = d.keyProvenance(k);
      assertThat(p.generatedOnDevice()).isTrue();
      assertThat(p.extractable()).isFalse();
      assertThat(p.source()).contains("not an HSM");

      Attestation a = d.attest(k);
      assertThat(a.format()).isEqualTo(SoftDriver.DEV_ATTESTATION_FORMAT);
      String text = new String(a.bytes(), StandardCharsets.UTF_8);
      assertThat(text)
          .startsWith("fleetvault-soft-dev-attestation-v1\n")
          .contains(
              "DEVELOPMENT ATTESTATION",
              "key_label: m1.sign\n",
              "key_spec: EC_P256\n",
              "public_key: "
                  + Base64.getEncoder().encodeToString(d.publicKey(k).getEncoded())
                  + "\n");
      deviceKey = line(text, "device_key");
      int cut = text.indexOf("signature: ");
      Signature v = Signature.getInstance("SHA256withECDSA");
      v.initVerify(
          java.security.KeyFactory.getInstance("EC")
              .generatePublic(
                  new java.security.spec.X509EncodedKeySpec(
                      Base64.getDecoder().decode(deviceKey))));
      v.update(text.substring(0, cut).getBytes(StandardCharsets.UTF_8));
      assertThat(v.verify(Base64.getDecoder().decode(line(text, "signature")))).isTrue();
      assertThatThrownBy(() -> d.attest(d.findKey(SoftDriver.DEVICE_KEY_LABEL).orElseThrow()))
          .isInstanceOf(HsmException.class);
    }
    try (HsmDriver d =
        SoftTestSupport.open(SoftTestSupport.settings(dir.resolve("a.keys")), "pw")) {
      KeyHandle k2 = d.generateKey(KeySpec.AES_256, "m1.seal");
      String text = new String(d.attest(k2).bytes(), StandardCharsets.UTF_8);
      assertThat(line(text, "device_key"))
          .as("per-install device key survives a restart")
          .isEqualTo(deviceKey);
      assertThat(line(text, "public_key")).isEqualTo("-");
    }
  }

  private static String line(String text, String name) {
    for (String l : text.split("\n")) {
      if (l.startsWith(name + ": ")) {
        return l.substring(name.length() + 2);
      }
    }
    throw new AssertionError("no line " + name);
  }
}
