package dev.fleetvault.driver.kmip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.kmip.testing.PyKmipExtension;
import dev.fleetvault.driver.kmip.testing.PyKmipServer;
import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.Drivers;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** KMIP-specific driver behaviour on PyKMIP beyond the shared contract. */
@Tag("process")
@ExtendWith(PyKmipExtension.class)
class KmipDriverPyKmipTest {

  private static HsmDriver open(Map<String, Object> s) throws HsmException {
    return new KmipDriverProvider()
        .open(DriverSettings.of("test", s, PyKmipExtension.current().dir()));
  }

  private static Map<String, Object> devSettings(PyKmipServer server) {
    Map<String, Object> s = server.driverSettings();
    s.put("insecure_allow_extractable_keys", true);
    return s;
  }

  private static void assertKind(
      HsmException.Kind kind, org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
    assertThatThrownBy(c)
        .isInstanceOfSatisfying(
            HsmException.class, e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind));
  }

  @Test
  void open_productionSettingsOnPyKmip_refusedBecauseKeysAreExtractable(PyKmipServer server) {
    assertThatThrownBy(() -> open(server.driverSettings()))
        .isInstanceOfSatisfying(
            HsmException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(HsmException.Kind.CONFIG);
              assertThat(e.getMessage())
                  .contains("cannot keep keys non-extractable")
                  .contains("insecure_allow_extractable_keys");
            });
  }

  @Test
  void load_throughRegistryWithAllowList_opensKmip(PyKmipServer server) throws Exception {
    Drivers drivers = Drivers.load(List.of(KmipDriverProvider.class.getName()), "test allow-list");
    assertThat(drivers.ids()).contains("kmip");
    try (HsmDriver d =
        drivers.open("kmip", DriverSettings.of("test", devSettings(server), server.dir()))) {
      assertThat(d.describe().driverId()).isEqualTo("kmip");
      assertThat(d.describe().vendor()).contains("PyKMIP");
      assertThat(d.describe().details())
          .containsKeys(
              "kmip_protocol_version", "server_operations", "key_extraction", "sign_rsa_pss");
      assertThat(d.capabilities())
          .contains(Capability.SEAL_AES_GCM, Capability.GENERATE_RSA_2048)
          .doesNotContain(
              Capability.SIGN_RSA_PSS,
              Capability.ECDH_P256,
              Capability.GENERATE_EC_P256,
              Capability.RANDOM);
    }
  }

  @Test
  void rsaKeyPair_findKeyAndPublicKey_matchButSignUnsupportedOnPyKmip(PyKmipServer server)
      throws Exception {
    try (HsmDriver d = open(devSettings(server))) {
      String label = "rsa-" + UUID.randomUUID().toString().substring(0, 8);
      KeyHandle h = d.generateKey(KeySpec.RSA_2048, label);
      assertThat(d.findKey(label)).contains(h);
      RSAPublicKey pub = (RSAPublicKey) d.publicKey(h);
      assertThat(pub.getModulus().bitLength()).isEqualTo(2048);
      assertKind(HsmException.Kind.UNSUPPORTED, () -> d.sign(h, new byte[] {1}));
      assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> d.seal(h, new byte[1], new byte[0]));
      KeyHandle aes = d.generateKey(KeySpec.AES_256, label + "-aes");
      assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> d.publicKey(aes));
      assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> d.ecdh(aes, new byte[65]));
      assertKind(HsmException.Kind.KEY_EXISTS, () -> d.generateKey(KeySpec.RSA_2048, label));
    }
  }

  @Test
  void seal_oversizedPlaintext_invalidInput(PyKmipServer server) throws Exception {
    try (HsmDriver d = open(devSettings(server))) {
      KeyHandle k =
          d.generateKey(KeySpec.AES_256, "big-" + UUID.randomUUID().toString().substring(0, 8));
      assertKind(
          HsmException.Kind.INVALID_INPUT, () -> d.seal(k, new byte[512 * 1024 + 1], new byte[0]));
      assertKind(HsmException.Kind.INVALID_INPUT, () -> d.seal(k, null, new byte[0]));
      assertKind(HsmException.Kind.INTEGRITY, () -> d.unseal(k, null, new byte[0]));
    }
  }

  @Test
  void sealedByOneDriver_unsealedByAnother_sameServerKey(PyKmipServer server) throws Exception {
    String label = "shared-" + UUID.randomUUID().toString().substring(0, 8);
    byte[] sealed;
    try (HsmDriver d1 = open(devSettings(server))) {
      sealed =
          d1.seal(d1.generateKey(KeySpec.AES_256, label), "record".getBytes(), "aad".getBytes());
    }
    try (HsmDriver d2 = open(devSettings(server))) {
      KeyHandle k = d2.findKey(label).orElseThrow();
      assertThat(d2.unseal(k, sealed, "aad".getBytes())).isEqualTo("record".getBytes());
    }
  }

  @Test
  void findKey_preActiveKeyFromInterruptedGenerate_activatedAndUsable(PyKmipServer server)
      throws Exception {
    String label = "half-" + UUID.randomUUID().toString().substring(0, 8);
    try (var c =
        dev.fleetvault.driver.kmip.client.KmipClient.connect(server.clientConfig().build())) {
      c.create(
          dev.fleetvault.driver.kmip.ttlv.KmipEnums.ObjectType.SYMMETRIC_KEY,
          List.of(
              dev.fleetvault.driver.kmip.client.Attribute.algorithm(
                  dev.fleetvault.driver.kmip.ttlv.KmipEnums.CryptographicAlgorithm.AES),
              dev.fleetvault.driver.kmip.client.Attribute.length(256),
              dev.fleetvault.driver.kmip.client.Attribute.usageMask(
                  dev.fleetvault.driver.kmip.ttlv.KmipEnums.UsageMask.ENCRYPT
                      | dev.fleetvault.driver.kmip.ttlv.KmipEnums.UsageMask.DECRYPT),
              dev.fleetvault.driver.kmip.client.Attribute.name(label))); // created, never activated
    }
    try (HsmDriver d = open(devSettings(server))) {
      KeyHandle k = d.findKey(label).orElseThrow();
      assertThat(k.spec()).isEqualTo(KeySpec.AES_256);
      assertThat(d.unseal(k, d.seal(k, new byte[] {5}, new byte[0]), new byte[0]))
          .containsExactly(5);
    }
  }

  @Test
  void open_wrongServerPort_retryableUnavailable(PyKmipServer server) throws Exception {
    Map<String, Object> s = devSettings(server);
    try (var ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.put("port", ss.getLocalPort()); // listening but never speaking TLS: handshake times out
      s.put("connect_timeout", "300ms");
      assertThatThrownBy(() -> open(s))
          .isInstanceOfSatisfying(
              HsmException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(HsmException.Kind.UNAVAILABLE);
                assertThat(e.isRetryable()).isTrue();
              });
    }
  }
}
