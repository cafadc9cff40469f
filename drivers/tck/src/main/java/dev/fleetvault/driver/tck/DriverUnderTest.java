package dev.fleetvault.driver.tck;

import static dev.fleetvault.driver.tck.ContractSupport.label;
import static dev.fleetvault.driver.tck.ContractSupport.newP256;
import static dev.fleetvault.driver.tck.ContractSupport.signCapability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.HsmFatalException;
import dev.fleetvault.driver.spi.InsecureTestKeyImport;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.P256Points;
import dev.fleetvault.driver.spi.SealedBlob;
import dev.fleetvault.driver.tck.ContractSupport.ThrowingRunnable;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * What every part of the contract suite needs from a driver's test class (the hooks a driver author
 * implements), and the refusal rules shared by the parts.
 *
 * <p>Nothing is skipped for a missing capability: every test that depends on a {@link Capability}
 * yields one dynamic test, named {@code "capability X present: ..."} when the driver reports {@code
 * X} (the capability is exercised) or {@code "capability X absent: refuses with UNSUPPORTED"} when
 * it does not — then the operation that needs {@code X} must throw {@link HsmFatalException} of
 * kind {@link HsmException.Kind#UNSUPPORTED} whose message names {@code X}, before the key handle
 * is even looked at, and a refused {@code generateKey} leaves its label free.
 */
public interface DriverUnderTest {

  // ---- hooks a driver's test implements ----

  /** The state of this run (kept by {@link DriverContractBase}). */
  ContractState state();

  /**
   * Opens a new driver instance on storage named {@code name}; calling it again with the same name
   * (after closing the first) must reach the same keys where the driver has {@link
   * Capability#PERSISTENT_KEYS}.
   */
  HsmDriver openFreshDriver(String name) throws Exception;

  /** Opens the driver with a wrong PIN / passphrase; must throw. */
  HsmDriver openWithWrongCredential() throws Exception;

  /**
   * The vendor error name a wrong credential must carry (for example {@code CKR_PIN_INCORRECT}).
   */
  String expectedWrongCredentialVendorName();

  /**
   * Asserts that the device refuses to reveal the secret/private part of {@code key} by any means
   * the driver's backend offers.
   */
  void assertNotExtractable(HsmDriver d, KeyHandle key) throws Exception;

  /** Asserts that the closed driver {@code closed} holds no sessions/handles any more. */
  void assertSessionsReleased(HsmDriver closed) throws Exception;

  /**
   * Operations each of the 16 threads runs in the concurrency test (each op = seal+unseal+sign+ecdh
   * where supported).
   */
  default int operationsPerThread() {
    return 20;
  }

  // ---- shared rules ----

  /** The shared driver under test. */
  default HsmDriver driver() {
    return state().driver();
  }

  /** Whether the driver reports {@code c}. */
  default boolean has(Capability c) {
    return state().capabilities().contains(c);
  }

  /** Records what was checked for the absent capability {@code c} (printed after the class). */
  default void checkedAbsent(Capability c, String what) {
    state().checkedAbsent(c, what);
  }

  /**
   * One dynamic test: {@code present} (named {@code "capability C present: <what>"}) when the
   * driver reports {@code c}, else {@code absent} (named {@code "capability C absent:
   * <absentName>"}), which must assert the refusal contract.
   */
  default Stream<DynamicTest> dependingOn(
      Capability c,
      String what,
      ThrowingRunnable present,
      String absentName,
      ThrowingRunnable absent) {
    return has(c)
        ? Stream.of(DynamicTest.dynamicTest("capability " + c + " present: " + what, present::run))
        : Stream.of(
            DynamicTest.dynamicTest("capability " + c + " absent: " + absentName, absent::run));
  }

  /**
   * {@link #dependingOn(Capability, String, ThrowingRunnable, String, ThrowingRunnable)} with
   * "refuses with UNSUPPORTED".
   */
  default Stream<DynamicTest> dependingOn(
      Capability c, String what, ThrowingRunnable present, ThrowingRunnable absent) {
    return dependingOn(c, what, present, "refuses with UNSUPPORTED", absent);
  }

  /**
   * Asserts the refusal contract for the absent capability {@code c}: {@code r} throws {@link
   * HsmFatalException} of kind UNSUPPORTED, not retryable, with a message naming {@code c}.
   */
  default void assertRefused(Capability c, String operation, ThrowingRunnable r) {
    assertThat(state().capabilities())
        .as("refusal of %s is the contract only while %s is absent", operation, c)
        .doesNotContain(c);
    assertThatThrownBy(r::run)
        .as("%s while capability %s is absent", operation, c)
        .isInstanceOf(HsmFatalException.class)
        .satisfies(
            e -> {
              HsmException h = (HsmException) e;
              assertThat(h.kind()).as("kind of %s", e).isEqualTo(HsmException.Kind.UNSUPPORTED);
              assertThat(h.isRetryable()).as("retryable: %s", e).isFalse();
              assertThat(h.getMessage())
                  .as("message of %s names the missing capability", e)
                  .containsIgnoringCase(c.name());
            });
    checkedAbsent(c, operation + " refused with UNSUPPORTED");
  }

  /**
   * Asserts that {@code generateKey(spec)} is refused (its capability absent) and leaves the label
   * free.
   */
  default void assertGenerateRefused(KeySpec spec) throws Exception {
    String l = label("refused-" + spec.name().toLowerCase(Locale.ROOT));
    assertRefused(
        spec.generateCapability(),
        "generateKey(" + spec + ")",
        () -> driver().generateKey(spec, l));
    assertThat(driver().findKey(l))
        .as("a refused generateKey leaves no key under its label")
        .isEmpty();
    checkedAbsent(spec.generateCapability(), "generateKey(" + spec + ") left its label free");
  }

  /**
   * A handle of {@code spec} to show an operation is refused: a real key where the driver can
   * generate one, else a handle no driver issued (the capability check must come before the
   * lookup).
   */
  default KeyHandle refusalHandle(KeySpec spec) throws Exception {
    return has(spec.generateCapability())
        ? driver().generateKey(spec, label("refusal"))
        : KeyHandle.of(label("refusal"), spec, "never-issued-" + UUID.randomUUID());
  }

  /** Asserts sign with a {@code spec} key is refused (its signature capability absent). */
  default void assertSignRefused(KeySpec spec) throws Exception {
    KeyHandle k = refusalHandle(spec);
    assertRefused(
        signCapability(spec),
        has(spec.generateCapability())
            ? "sign(" + spec + " key)"
            : "sign(never-issued " + spec + " handle)",
        () -> driver().sign(k, "refuse me".getBytes(StandardCharsets.UTF_8)));
  }

  /** Asserts seal and unseal are refused (SEAL_AES_GCM absent). */
  default void assertSealRefused() throws Exception {
    KeyHandle k = refusalHandle(KeySpec.AES_256);
    String on =
        has(Capability.GENERATE_AES_256)
            ? " with an AES_256 key"
            : " with a never-issued AES_256 handle";
    assertRefused(
        Capability.SEAL_AES_GCM, "seal" + on, () -> driver().seal(k, new byte[] {1}, new byte[0]));
    byte[] sealedShape =
        new SealedBlob(new byte[SealedBlob.NONCE_LENGTH], new byte[SealedBlob.TAG_LENGTH + 1])
            .encode();
    assertRefused(
        Capability.SEAL_AES_GCM, "unseal" + on, () -> driver().unseal(k, sealedShape, new byte[0]));
  }

  /**
   * Asserts ECDH is refused (ECDH_P256 absent) for a valid peer point, and for each {@code
   * morePoints}.
   */
  default void assertEcdhRefused(List<byte[]> morePoints) throws Exception {
    KeyHandle k = refusalHandle(KeySpec.EC_P256);
    String on = has(Capability.GENERATE_EC_P256) ? "EC_P256 key" : "never-issued EC_P256 handle";
    byte[] peer = P256Points.encodeUncompressed((ECPublicKey) newP256().getPublic());
    assertRefused(
        Capability.ECDH_P256, "ecdh(" + on + ", valid peer point)", () -> driver().ecdh(k, peer));
    for (byte[] p : morePoints) {
      assertRefused(
          Capability.ECDH_P256,
          "ecdh(" + on + ", malformed peer point)",
          () -> driver().ecdh(k, p));
    }
  }

  /**
   * Test key import absent: a driver offering {@link InsecureTestKeyImport} refuses it with
   * UNSUPPORTED and keeps the label free; a driver not offering the interface has nothing to
   * refuse.
   */
  default void assertImportRefused() throws Exception {
    if (driver() instanceof InsecureTestKeyImport importer) {
      String l = label("refused-import");
      KeyPair pair = newP256();
      assertRefused(
          Capability.INSECURE_TEST_KEY_IMPORT,
          "importKeyPairInsecureTestOnly(EC_P256)",
          () -> importer.importKeyPairInsecureTestOnly(KeySpec.EC_P256, l, pair));
      assertThat(driver().findKey(l))
          .as("a refused import leaves no key under its label")
          .isEmpty();
    } else {
      checkedAbsent(
          Capability.INSECURE_TEST_KEY_IMPORT,
          "driver class "
              + driver().getClass().getSimpleName()
              + " does not implement InsecureTestKeyImport (no import operation exists to refuse)");
    }
  }
}
