package dev.fleetvault.driver.tck;

import static dev.fleetvault.driver.tck.ContractSupport.assertKind;
import static dev.fleetvault.driver.tck.ContractSupport.label;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import dev.fleetvault.driver.spi.SealedBlob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Contract part: {@link Capability#SEAL_AES_GCM} (seal/unseal round trip, integrity, key types).
 */
public interface SealContract extends DriverUnderTest {

  @TestFactory
  default Stream<DynamicTest> seal_thenUnseal_roundTrips() {
    return dependingOn(
        Capability.SEAL_AES_GCM,
        "seal then unseal round-trips 0..70000 bytes",
        () -> {
          HsmDriver driver = driver();
          KeyHandle k = driver.generateKey(KeySpec.AES_256, label("seal"));
          for (int len : new int[] {0, 1, 15, 16, 17, 64, 1000, 70_000}) {
            byte[] pt = new byte[len];
            Arrays.fill(pt, (byte) len);
            byte[] aad = ("aad-" + len).getBytes(StandardCharsets.UTF_8);
            byte[] sealed = driver.seal(k, pt, aad);
            assertThat(sealed).hasSize(len + 1 + SealedBlob.NONCE_LENGTH + SealedBlob.TAG_LENGTH);
            assertThat(driver.unseal(k, sealed, aad)).isEqualTo(pt);
          }
          assertThat(driver.unseal(k, driver.seal(k, new byte[] {7}, new byte[0]), new byte[0]))
              .containsExactly(7);
        },
        this::assertSealRefused);
  }

  @TestFactory
  default Stream<DynamicTest> seal_samePlaintextTwice_differentOutput() {
    return dependingOn(
        Capability.SEAL_AES_GCM,
        "same plaintext sealed twice differs",
        () -> {
          KeyHandle k = driver().generateKey(KeySpec.AES_256, label("seal2"));
          byte[] pt = "same".getBytes(StandardCharsets.UTF_8);
          assertThat(driver().seal(k, pt, new byte[0]))
              .isNotEqualTo(driver().seal(k, pt, new byte[0]));
        },
        this::assertSealRefused);
  }

  @TestFactory
  default Stream<DynamicTest> unseal_anyByteFlipped_integrity() {
    return dependingOn(
        Capability.SEAL_AES_GCM,
        "any flipped byte is INTEGRITY",
        () -> {
          HsmDriver driver = driver();
          KeyHandle k = driver.generateKey(KeySpec.AES_256, label("tamper"));
          byte[] aad = {1, 2, 3};
          byte[] sealed = driver.seal(k, "secret share".getBytes(StandardCharsets.UTF_8), aad);
          List<String> failures = new ArrayList<>();
          for (int i = 0; i < sealed.length; i++) {
            byte[] t = sealed.clone();
            t[i] ^= 0x01;
            try {
              driver.unseal(k, t, aad);
              failures.add("byte " + i + " flipped: accepted");
            } catch (HsmException e) {
              if (e.kind() != HsmException.Kind.INTEGRITY) {
                failures.add("byte " + i + " flipped: kind " + e.kind());
              }
            }
          }
          assertThat(failures).isEmpty();
          assertKind(
              HsmException.Kind.INTEGRITY,
              () -> driver.unseal(k, Arrays.copyOf(sealed, sealed.length - 1), aad));
          assertKind(HsmException.Kind.INTEGRITY, () -> driver.unseal(k, new byte[5], aad));
        },
        this::assertSealRefused);
  }

  @TestFactory
  default Stream<DynamicTest> unseal_wrongAad_integrity() {
    return dependingOn(
        Capability.SEAL_AES_GCM,
        "wrong aad is INTEGRITY",
        () -> {
          KeyHandle k = driver().generateKey(KeySpec.AES_256, label("aad"));
          byte[] sealed =
              driver().seal(k, new byte[32], "user-1|v1".getBytes(StandardCharsets.UTF_8));
          assertKind(
              HsmException.Kind.INTEGRITY,
              () -> driver().unseal(k, sealed, "user-2|v1".getBytes(StandardCharsets.UTF_8)));
          assertKind(HsmException.Kind.INTEGRITY, () -> driver().unseal(k, sealed, new byte[0]));
        },
        this::assertSealRefused);
  }

  @TestFactory
  default Stream<DynamicTest> unseal_otherKey_integrity() {
    return dependingOn(
        Capability.SEAL_AES_GCM,
        "other key is INTEGRITY",
        () -> {
          KeyHandle k1 = driver().generateKey(KeySpec.AES_256, label("k1"));
          KeyHandle k2 = driver().generateKey(KeySpec.AES_256, label("k2"));
          byte[] sealed = driver().seal(k1, new byte[32], new byte[0]);
          assertKind(HsmException.Kind.INTEGRITY, () -> driver().unseal(k2, sealed, new byte[0]));
        },
        this::assertSealRefused);
  }

  @TestFactory
  default Stream<DynamicTest> seal_keyPairHandle_wrongKeyType() {
    return dependingOn(
        Capability.GENERATE_EC_P256,
        "EC key cannot seal, AES key cannot sign: WRONG_KEY_TYPE",
        () -> assertWrongKeyTypes(KeySpec.EC_P256),
        "refuses with UNSUPPORTED (and WRONG_KEY_TYPE checked with another key pair type where one exists)",
        () -> {
          assertGenerateRefused(KeySpec.EC_P256);
          for (KeySpec other : List.of(KeySpec.RSA_2048, KeySpec.ED25519)) {
            if (has(other.generateCapability())) {
              assertWrongKeyTypes(other);
              checkedAbsent(
                  Capability.GENERATE_EC_P256,
                  "WRONG_KEY_TYPE checks done with " + other + " instead");
              break;
            }
          }
        });
  }

  private void assertWrongKeyTypes(KeySpec pairSpec) throws Exception {
    HsmDriver driver = driver();
    KeyHandle pair = driver.generateKey(pairSpec, label("pair-seal"));
    assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> driver.seal(pair, new byte[1], new byte[0]));
    KeyHandle aes = driver.generateKey(KeySpec.AES_256, label("aes-sign"));
    assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> driver.sign(aes, new byte[1]));
    assertKind(HsmException.Kind.WRONG_KEY_TYPE, () -> driver.publicKey(aes));
  }
}
