package dev.fleetvault.driver.tck;

import static dev.fleetvault.driver.tck.ContractSupport.assertKind;
import static dev.fleetvault.driver.tck.ContractSupport.label;
import static dev.fleetvault.driver.tck.ContractSupport.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Contract part: credentials (a wrong one is AUTHENTICATION with the vendor's error), {@link
 * Capability#PERSISTENT_KEYS} (keys survive close and reopen, or are gone if the driver says so),
 * and close (idempotent, later calls CLOSED, sessions released).
 */
public interface LifecycleContract extends DriverUnderTest {

  @Test
  default void open_wrongCredential_authenticationWithVendorError() {
    assertThatThrownBy(() -> openWithWrongCredential().close())
        .isInstanceOf(HsmFatalException.class)
        .satisfies(
            e -> {
              HsmException h = (HsmException) e;
              assertThat(h.kind()).isEqualTo(HsmException.Kind.AUTHENTICATION);
              assertThat(h.vendorName()).contains(expectedWrongCredentialVendorName());
              assertThat(h.isRetryable()).isFalse();
            });
  }

  @TestFactory
  default Stream<DynamicTest> generateKey_closeAndReopen_keyFoundAndUsable() {
    return dependingOn(
        Capability.PERSISTENT_KEYS,
        "keys found and usable after close and reopen",
        this::keysSurviveReopen,
        "keys do not survive close and reopen",
        this::keysGoneAfterReopen);
  }

  private void keysSurviveReopen() throws Exception {
    boolean ec = has(Capability.GENERATE_EC_P256) && has(Capability.SIGN_ECDSA_P256);
    String name = "persist-" + UUID.randomUUID().toString().substring(0, 8);
    String l = label("persist");
    byte[] sealed;
    KeyHandle h;
    KeyHandle ecKey = null;
    PublicKey ecPub = null;
    try (HsmDriver d1 = openFreshDriver(name)) {
      h = d1.generateKey(KeySpec.AES_256, l);
      sealed = d1.seal(h, "kept".getBytes(StandardCharsets.UTF_8), new byte[0]);
      if (ec) {
        ecKey = d1.generateKey(KeySpec.EC_P256, l + "-ec");
        ecPub = d1.publicKey(ecKey);
      }
    }
    try (HsmDriver d2 = openFreshDriver(name)) {
      assertThat(d2.findKey(l)).contains(h);
      assertThat(d2.unseal(h, sealed, new byte[0]))
          .isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
      if (ec) {
        assertThat(d2.findKey(l + "-ec")).contains(ecKey);
        assertThat(d2.publicKey(ecKey).getEncoded()).isEqualTo(ecPub.getEncoded());
        assertThat(verify("SHA256withECDSA", ecPub, new byte[] {1}, d2.sign(ecKey, new byte[] {1})))
            .isTrue();
      }
    }
  }

  /**
   * PERSISTENT_KEYS absent: what the driver says of itself must hold — a key is gone after
   * reopening.
   */
  private void keysGoneAfterReopen() throws Exception {
    KeySpec spec = null;
    for (KeySpec s : KeySpec.values()) {
      if (has(s.generateCapability())) {
        spec = s;
        break;
      }
    }
    if (spec == null) {
      assertGenerateRefused(KeySpec.AES_256);
      checkedAbsent(
          Capability.PERSISTENT_KEYS, "no key type can be generated, so nothing could persist");
      return;
    }
    String name = "volatile-" + UUID.randomUUID().toString().substring(0, 8);
    String l = label("volatile");
    try (HsmDriver d1 = openFreshDriver(name)) {
      KeyHandle h = d1.generateKey(spec, l);
      assertThat(d1.findKey(l)).contains(h);
    }
    try (HsmDriver d2 = openFreshDriver(name)) {
      assertThat(d2.findKey(l))
          .as("driver reports no PERSISTENT_KEYS, yet the " + spec + " key survived reopening")
          .isEmpty();
    }
    checkedAbsent(Capability.PERSISTENT_KEYS, spec + " key not found after close and reopen");
  }

  @Test
  default void close_thenCall_closedAndSessionsReleased() throws Exception {
    HsmDriver d = openFreshDriver("close-" + UUID.randomUUID().toString().substring(0, 8));
    KeyHandle k = d.generateKey(KeySpec.AES_256, label("close"));
    d.seal(k, new byte[1], new byte[0]);
    d.close();
    d.close(); // idempotent
    assertKind(HsmException.Kind.CLOSED, () -> d.seal(k, new byte[1], new byte[0]));
    assertKind(HsmException.Kind.CLOSED, () -> d.findKey("x"));
    assertSessionsReleased(d);
  }
}
