package dev.fleetvault.driver.pkcs11.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.spi.DeviceInfo;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmRetryableException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.SessionGate;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PKCS#11 behaviour beyond the contract, on real SoftHSM2: slot lookup, device facts,
 * back-pressure.
 */
@Tag("process")
@SuppressWarnings("try")
class Pkcs11TokenTest {

  @BeforeAll
  static void softHsm() throws Exception {
    SoftHsm.ensure();
  }

  @Test
  void open_unknownTokenLabel_configErrorListingTokens() {
    Map<String, Object> s = SoftHsm.settings("no-such-token");
    assertThatThrownBy(() -> Pkcs11DriverContractTest.open(s))
        .isInstanceOf(HsmException.class)
        .satisfies(e -> assertThat(((HsmException) e).kind()).isEqualTo(HsmException.Kind.CONFIG))
        .hasMessageContaining("key 'token_label'")
        .hasMessageContaining("no token labelled 'no-such-token'")
        .hasMessageContaining(SoftHsm.MAIN);
  }

  @Test
  void open_slotIdNotPresent_configError() {
    Map<String, Object> s = SoftHsm.settings(SoftHsm.MAIN);
    s.remove("token_label");
    s.put("slot", 987654);
    assertThatThrownBy(() -> Pkcs11DriverContractTest.open(s))
        .isInstanceOf(HsmException.class)
        .satisfies(e -> assertThat(((HsmException) e).kind()).isEqualTo(HsmException.Kind.CONFIG));
  }

  @Test
  void describe_softHsm_reportsTokenFactsFromDevice() throws Exception {
    try (HsmDriver d = Pkcs11DriverContractTest.open(SoftHsm.settings(SoftHsm.MAIN))) {
      DeviceInfo info = d.describe();
      assertThat(info.driverId()).isEqualTo("pkcs11");
      assertThat(info.vendor()).isEqualTo("SoftHSM project");
      assertThat(info.model()).isEqualTo("SoftHSM v2");
      assertThat(info.serial()).matches("[0-9a-f]{16}");
      assertThat(info.firmwareVersion()).matches("\\d+\\.\\d+");
      assertThat(info.libraryVersion()).startsWith("SoftHSM");
      assertThat(info.details()).containsEntry("token_label", SoftHsm.MAIN);
    }
  }

  @Test
  void seal_allSessionsBusy_retryableBusyThenRecovers() throws Exception {
    Map<String, Object> s = SoftHsm.settings(SoftHsm.MAIN);
    s.put("max_sessions", 1);
    s.put("borrow_timeout", "100ms");
    try (Pkcs11Driver d = (Pkcs11Driver) Pkcs11DriverContractTest.open(s)) {
      KeyHandle k = d.generateKey(KeySpec.AES_256, "busy-" + System.nanoTime());
      assertThat(d.maxConcurrentSessions()).isEqualTo(1);
      try (SessionGate.Permit held = d.gate().acquire()) {
        assertThatThrownBy(() -> d.seal(k, new byte[8], new byte[0]))
            .isInstanceOf(HsmRetryableException.class)
            .satisfies(
                e -> assertThat(((HsmException) e).kind()).isEqualTo(HsmException.Kind.BUSY));
      }
      assertThat(d.unseal(k, d.seal(k, new byte[8], new byte[0]), new byte[0])).hasSize(8);
    }
  }

  @Test
  void ecdh_peerIsOwnPublicKey_matchesAcrossTwoDriversOnOneToken() throws Exception {
    try (HsmDriver a = Pkcs11DriverContractTest.open(SoftHsm.settings(SoftHsm.MAIN));
        HsmDriver b = Pkcs11DriverContractTest.open(SoftHsm.settings(SoftHsm.MAIN))) {
      KeyHandle ka = a.generateKey(KeySpec.EC_P256, "two-a-" + System.nanoTime());
      KeyHandle kb = b.generateKey(KeySpec.EC_P256, "two-b-" + System.nanoTime());
      byte[] pa =
          dev.fleetvault.driver.spi.P256Points.encodeUncompressed(
              (java.security.interfaces.ECPublicKey) a.publicKey(ka));
      byte[] pb =
          dev.fleetvault.driver.spi.P256Points.encodeUncompressed(
              (java.security.interfaces.ECPublicKey) b.publicKey(kb));
      assertThat(a.ecdh(ka, pb)).isEqualTo(b.ecdh(kb, pa));
      assertThat(b.findKey(ka.label())).contains(ka);
    }
  }
}
