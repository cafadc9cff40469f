package dev.fleetvault.driver.pkcs11.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeyProvenance;
import dev.fleetvault.driver.spi.KeySpec;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Key provenance read back from a real SoftHSM2 token: generated keys are local and never
 * extractable, an imported one is not local.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Pkcs11KeyProvenanceTest {

  private HsmDriver driver;

  @BeforeAll
  void open() throws Exception {
    SoftHsm.ensure();
    driver = Pkcs11DriverContractTest.open(SoftHsm.settings(SoftHsm.PROVENANCE));
  }

  @AfterAll
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void keyProvenance_generatedEcKey_localNeverExtractableAlwaysSensitive() throws Exception {
    assertThat(driver.capabilities())
        .contains(Capability.KEY_PROVENANCE)
        .doesNotContain(Capability.KEY_ATTESTATION);
    KeyHandle h = driver.generateKey(KeySpec.EC_P256, "prov-ec-1");
    KeyProvenance p = driver.keyProvenance(h);
    System.out.println("[provenance] " + p);
    assertThat(p.generatedOnDevice()).as("CKA_LOCAL").isTrue();
    assertThat(p.neverExtractable()).as("CKA_NEVER_EXTRACTABLE").isTrue();
    assertThat(p.alwaysSensitive()).as("CKA_ALWAYS_SENSITIVE").isTrue();
    assertThat(p.extractable()).as("CKA_EXTRACTABLE").isFalse();
    assertThat(p.bornInDeviceAndNonExportable()).isTrue();
    assertThat(p.rawAttributes())
        .containsEntry("CKA_LOCAL", "true")
        .containsEntry("CKA_EXTRACTABLE", "false")
        .containsEntry("CKA_TOKEN", "true")
        .containsEntry("object_class", "CKO_PRIVATE_KEY");
    assertThat(p.source()).contains("C_GetAttributeValue", "SoftHSM");
  }

  @Test
  void keyProvenance_generatedAesKey_localNeverExtractable() throws Exception {
    KeyHandle h = driver.generateKey(KeySpec.AES_256, "prov-aes-1");
    KeyProvenance p = driver.keyProvenance(h);
    assertThat(p.bornInDeviceAndNonExportable()).as(p.toString()).isTrue();
    assertThat(p.rawAttributes()).containsEntry("object_class", "CKO_SECRET_KEY");
  }

  @Test
  void keyProvenance_keyImportedIntoToken_notLocal() throws Exception {
    // A key made in software and imported into SoftHSM2 (C_CreateObject through the PKCS#11
    // KeyStore).
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    Certificate cert =
        SelfSignedCertificates.create(
            "prov-imported", pair, "SHA256withECDSA", Security.getProvider("SunEC"));
    KeyStore ks = KeyStore.getInstance("PKCS11", ((Pkcs11Driver) driver).provider());
    ks.load(null, null);
    ks.setEntry(
        "prov-imported",
        new KeyStore.PrivateKeyEntry(pair.getPrivate(), new Certificate[] {cert}),
        null);

    KeyHandle h = driver.findKey("prov-imported").orElseThrow();
    KeyProvenance p = driver.keyProvenance(h);
    System.out.println("[provenance] imported: " + p);
    assertThat(p.generatedOnDevice()).as("CKA_LOCAL of an imported key").isFalse();
    assertThat(p.rawAttributes()).containsEntry("CKA_LOCAL", "false");
    assertThat(p.bornInDeviceAndNonExportable()).isFalse();
  }

  @Test
  void attest_pkcs11_unsupported() throws Exception {
    KeyHandle h = driver.generateKey(KeySpec.EC_P256, "prov-ec-2");
    assertThatThrownBy(() -> driver.attest(h))
        .isInstanceOf(HsmException.class)
        .satisfies(
            e -> assertThat(((HsmException) e).kind()).isEqualTo(HsmException.Kind.UNSUPPORTED));
  }

  @Test
  void keyProvenance_foreignHandle_keyNotFound() {
    KeyHandle h = KeyHandle.of("prov-nope", KeySpec.EC_P256, "spki-sha256:00");
    assertThatThrownBy(() -> driver.keyProvenance(h))
        .isInstanceOf(HsmException.class)
        .satisfies(
            e -> assertThat(((HsmException) e).kind()).isEqualTo(HsmException.Kind.KEY_NOT_FOUND));
  }
}
