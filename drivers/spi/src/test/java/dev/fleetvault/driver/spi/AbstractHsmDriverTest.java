package dev.fleetvault.driver.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shared checks: capability refusals name the capability, closed is CLOSED, close is once. */
class AbstractHsmDriverTest {

  /** The smallest driver: only the checks, every operation unused. */
  private static final class Checks extends AbstractHsmDriver {
    Checks(Set<Capability> caps) {
      super("checks", caps);
    }

    @Override
    public DeviceInfo describe() {
      throw new UnsupportedOperationException();
    }

    @Override
    public KeyHandle generateKey(KeySpec spec, String label) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<KeyHandle> findKey(String label) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] seal(KeyHandle key, byte[] plaintext, byte[] aad) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] unseal(KeyHandle key, byte[] sealed, byte[] aad) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] sign(KeyHandle key, byte[] message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] ecdh(KeyHandle key, byte[] peerPoint) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PublicKey publicKey(KeyHandle key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] random(int n) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int maxConcurrentSessions() {
      return 1;
    }

    @Override
    public void close() {
      markClosed();
    }
  }

  private static HsmException.Kind kindOf(Throwable t) {
    return ((HsmException) t).kind();
  }

  @Test
  void require_absentCapability_unsupportedNamingIt() {
    Checks d = new Checks(EnumSet.of(Capability.RANDOM));
    assertThatCode(() -> d.require(Capability.RANDOM)).doesNotThrowAnyException();
    assertThatThrownBy(() -> d.require(Capability.ECDH_P256))
        .isInstanceOf(HsmFatalException.class)
        .hasMessageContaining("ECDH_P256")
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(HsmException.Kind.UNSUPPORTED))
        .satisfies(e -> assertThat(((HsmException) e).isRetryable()).isFalse());
  }

  @Test
  void requireSign_eachKeySpec_needsItsSignatureCapability() {
    Checks none = new Checks(EnumSet.noneOf(Capability.class));
    assertThatThrownBy(() -> none.requireSign(KeySpec.EC_P256))
        .hasMessageContaining("SIGN_ECDSA_P256");
    assertThatThrownBy(() -> none.requireSign(KeySpec.ED25519))
        .hasMessageContaining("SIGN_ED25519");
    assertThatThrownBy(() -> none.requireSign(KeySpec.RSA_2048))
        .hasMessageContaining("SIGN_RSA_PSS");
    assertThatCode(() -> none.requireSign(KeySpec.AES_256))
        .as("AES is WRONG_KEY_TYPE later, not UNSUPPORTED")
        .doesNotThrowAnyException();
  }

  @Test
  void requireOpen_afterClose_closedAndMarkClosedOnce() throws Exception {
    Checks d = new Checks(EnumSet.allOf(Capability.class));
    d.requireOpen();
    assertThat(d.markClosed()).isTrue();
    assertThat(d.markClosed()).isFalse();
    assertThat(d.isClosed()).isTrue();
    assertThatThrownBy(d::requireOpen)
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(HsmException.Kind.CLOSED));
  }

  @Test
  void capabilities_mutatedSource_unchanged() {
    EnumSet<Capability> caps = EnumSet.of(Capability.RANDOM);
    Checks d = new Checks(caps);
    caps.add(Capability.ECDH_P256);
    assertThat(d.capabilities()).containsExactly(Capability.RANDOM);
    assertThatThrownBy(() -> d.capabilities().add(Capability.SEAL_AES_GCM))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void requireTestImport_disabledBadLabelOrNonEcPair_refused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair ec = g.generateKeyPair();
    Checks off = new Checks(EnumSet.noneOf(Capability.class));
    assertThatThrownBy(() -> off.requireTestImport(KeySpec.EC_P256, "ok", ec))
        .hasMessageContaining("INSECURE_TEST_KEY_IMPORT")
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(HsmException.Kind.UNSUPPORTED));
    Checks on = new Checks(EnumSet.of(Capability.INSECURE_TEST_KEY_IMPORT));
    assertThatCode(() -> on.requireTestImport(KeySpec.EC_P256, "ok", ec))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> on.requireTestImport(KeySpec.EC_P256, "bad label", ec))
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(HsmException.Kind.INVALID_INPUT));
    assertThatThrownBy(() -> on.requireTestImport(KeySpec.RSA_2048, "ok", ec))
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(HsmException.Kind.UNSUPPORTED));
    assertThatThrownBy(() -> AbstractHsmDriver.requireInput(null, "message"))
        .hasMessageContaining("message must not be null");
  }
}
