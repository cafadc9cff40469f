package dev.fleetvault.driver.tck;

import static dev.fleetvault.driver.tck.ContractSupport.assertKind;
import static dev.fleetvault.driver.tck.ContractSupport.label;
import static dev.fleetvault.driver.tck.ContractSupport.signCapability;
import static dev.fleetvault.driver.tck.ContractSupport.verify;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.DeviceInfo;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Contract part: device facts, key generation per {@link KeySpec} (its {@code GENERATE_*}
 * capability), labels, lookups, unknown handles and non-extractability.
 */
public interface KeyContract extends DriverUnderTest {

  @Test
  default void describe_always_reportsDeviceFacts() throws Exception {
    DeviceInfo info = driver().describe();
    assertThat(
            List.of(
                info.driverId(),
                info.vendor(),
                info.model(),
                info.serial(),
                info.firmwareVersion(),
                info.libraryVersion()))
        .allSatisfy(s -> assertThat(s).isNotBlank());
    assertThat(driver().maxConcurrentSessions()).isPositive();
  }

  /**
   * For each key type: a supported one is generated, found again by label, exports the right public
   * key type and (where the driver signs with it) signs verifiably; an unsupported one is refused
   * with UNSUPPORTED. Either way the outcome is printed, so a missing capability is reported.
   */
  @ParameterizedTest
  @EnumSource(KeySpec.class)
  default void generateKey_eachSpec_usableOrRefusedAsUnsupported(KeySpec spec) throws Exception {
    if (!has(spec.generateCapability())) {
      assertGenerateRefused(spec);
      return;
    }
    HsmDriver driver = driver();
    String l = label("gen-" + spec.name().toLowerCase(Locale.ROOT));
    KeyHandle h = driver.generateKey(spec, l);
    assertThat(h.label()).isEqualTo(l);
    assertThat(h.spec()).isEqualTo(spec);
    assertThat(driver.findKey(l)).contains(h);
    byte[] msg = ("message for " + spec).getBytes(StandardCharsets.UTF_8);
    switch (spec) {
      case AES_256 -> assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> driver.publicKey(h));
      case EC_P256 -> assertThat(driver.publicKey(h)).isInstanceOf(ECPublicKey.class);
      case ED25519 -> {
        assertThat(driver.publicKey(h)).isInstanceOf(EdECPublicKey.class);
        if (has(Capability.SIGN_ED25519)) {
          byte[] sig = driver.sign(h, msg);
          assertThat(sig).hasSize(64);
          assertThat(verify("Ed25519", driver.publicKey(h), msg, sig)).isTrue();
          assertThat(driver.sign(h, msg)).as("Ed25519 is deterministic").isEqualTo(sig);
        } else {
          assertRefused(Capability.SIGN_ED25519, "sign(ED25519 key)", () -> driver.sign(h, msg));
        }
      }
      case RSA_2048 -> {
        assertThat(((RSAPublicKey) driver.publicKey(h)).getModulus().bitLength()).isEqualTo(2048);
        if (has(Capability.SIGN_RSA_PSS)) {
          byte[] sig = driver.sign(h, msg);
          Signature v = Signature.getInstance("RSASSA-PSS");
          v.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
          v.initVerify(driver.publicKey(h));
          v.update(msg);
          assertThat(v.verify(sig)).isTrue();
        } else {
          assertRefused(Capability.SIGN_RSA_PSS, "sign(RSA_2048 key)", () -> driver.sign(h, msg));
        }
      }
      default -> throw new AssertionError(spec);
    }
  }

  @TestFactory
  default Stream<DynamicTest> generateKey_existingLabel_keyExists() {
    return dependingOn(
        Capability.GENERATE_AES_256,
        "second key under one label is KEY_EXISTS",
        () -> {
          String l = label("dup");
          driver().generateKey(KeySpec.AES_256, l);
          assertKind(HsmException.Kind.KEY_EXISTS, () -> driver().generateKey(KeySpec.AES_256, l));
        },
        () -> assertGenerateRefused(KeySpec.AES_256));
  }

  @Test
  default void generateKey_invalidLabel_invalidInput() {
    for (String bad : new String[] {"", "has space", "x".repeat(65), "é", "a/b"}) {
      assertKind(HsmException.Kind.INVALID_INPUT, () -> driver().generateKey(KeySpec.AES_256, bad));
    }
  }

  @Test
  default void findKey_unknownLabel_empty() throws Exception {
    assertThat(driver().findKey(label("absent"))).isEmpty();
  }

  /**
   * A handle the driver never issued is KEY_NOT_FOUND for every operation the driver has (an
   * operation it lacks is UNSUPPORTED whatever the handle: the capability check comes first).
   */
  @Test
  default void operations_unknownHandle_keyNotFound() {
    HsmDriver driver = driver();
    String id = "00112233445566778899aabbccddeeff";
    KeyHandle ghost = KeyHandle.of(label("ghost"), KeySpec.AES_256, id);
    if (has(Capability.SEAL_AES_GCM)) {
      assertKind(
          HsmException.Kind.KEY_NOT_FOUND, () -> driver.seal(ghost, new byte[1], new byte[0]));
    } else {
      assertRefused(
          Capability.SEAL_AES_GCM,
          "seal(never-issued AES_256 handle)",
          () -> driver.seal(ghost, new byte[1], new byte[0]));
    }
    for (KeySpec spec : List.of(KeySpec.EC_P256, KeySpec.ED25519, KeySpec.RSA_2048)) {
      KeyHandle ghostPair = KeyHandle.of(label("ghost"), spec, id);
      if (has(signCapability(spec))) {
        assertKind(HsmException.Kind.KEY_NOT_FOUND, () -> driver.sign(ghostPair, new byte[1]));
      } else {
        assertRefused(
            signCapability(spec),
            "sign(never-issued " + spec + " handle)",
            () -> driver.sign(ghostPair, new byte[1]));
      }
      if (has(spec.generateCapability())) {
        assertKind(HsmException.Kind.KEY_NOT_FOUND, () -> driver.publicKey(ghostPair));
      }
    }
  }

  @TestFactory
  default Stream<DynamicTest> keys_generated_notExtractable() {
    return dependingOn(
        Capability.GENERATE_AES_256,
        "generated keys are not extractable",
        () -> {
          assertNotExtractable(driver(), driver().generateKey(KeySpec.AES_256, label("nx-aes")));
          if (has(Capability.GENERATE_EC_P256)) {
            assertNotExtractable(driver(), driver().generateKey(KeySpec.EC_P256, label("nx-ec")));
          }
        },
        () -> assertGenerateRefused(KeySpec.AES_256));
  }
}
