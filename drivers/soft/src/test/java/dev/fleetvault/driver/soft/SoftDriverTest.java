package dev.fleetvault.driver.soft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.HsmDriver;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.driver.spi.InsecureTestKeyImport;
import dev.fleetvault.driver.spi.KeyHandle;
import dev.fleetvault.driver.spi.KeySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Soft-driver specifics: the key file, its lock, its settings, and that it says it is not for
 * production.
 */
@SuppressWarnings("try")
class SoftDriverTest {

  private final Path dir = SoftTestSupport.newDir();

  private static void assertKind(HsmException.Kind kind, ThrowingCall c) {
    assertThatThrownBy(c::call)
        .isInstanceOf(HsmException.class)
        .satisfies(e -> assertThat(((HsmException) e).kind()).isEqualTo(kind));
  }

  @FunctionalInterface
  interface ThrowingCall {
    void call() throws Exception;
  }

  @Test
  void describe_always_saysNotForProduction() throws Exception {
    try (HsmDriver d =
        SoftTestSupport.open(SoftTestSupport.settings(dir.resolve("a.keys")), "pw")) {
      assertThat(d.describe().model()).contains("NOT FOR PRODUCTION");
      assertThat(d.describe().details())
          .containsEntry("warning", "software keys, not for production");
    }
  }

  @Test
  void open_sameKeyFileTwice_secondRefused() throws Exception {
    Map<String, Object> s = SoftTestSupport.settings(dir.resolve("b.keys"));
    try (HsmDriver d = SoftTestSupport.open(s, "pw")) {
      assertThatThrownBy(() -> SoftTestSupport.open(s, "pw"))
          .isInstanceOf(HsmException.class)
          .hasMessageContaining("already open");
    }
    SoftTestSupport.open(s, "pw").close();
  }

  @Test
  void generateKey_written_noTempFilesLeftAndFileChanges() throws Exception {
    Path f = dir.resolve("c.keys");
    try (HsmDriver d = SoftTestSupport.open(SoftTestSupport.settings(f), "pw")) {
      byte[] before = Files.readAllBytes(f);
      d.generateKey(KeySpec.ED25519, "signer");
      assertThat(Files.readAllBytes(f)).isNotEqualTo(before);
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
    }
  }

  @Test
  void open_keyFileTampered_authenticationError() throws Exception {
    Path f = dir.resolve("d.keys");
    SoftTestSupport.open(SoftTestSupport.settings(f), "pw").close();
    byte[] b = Files.readAllBytes(f);
    b[b.length - 1] ^= 1;
    Files.write(f, b);
    assertKind(
        HsmException.Kind.AUTHENTICATION,
        () -> SoftTestSupport.open(SoftTestSupport.settings(f), "pw"));
  }

  @Test
  void open_notAKeyFile_configError() throws Exception {
    Path f = dir.resolve("e.keys");
    Files.createDirectories(dir);
    Files.writeString(f, "hello");
    assertKind(
        HsmException.Kind.CONFIG, () -> SoftTestSupport.open(SoftTestSupport.settings(f), "pw"));
  }

  @Test
  void open_missingFileWithCreateFalse_configError() {
    Map<String, Object> s = SoftTestSupport.settings(dir.resolve("f.keys"));
    s.put("create", false);
    assertThatThrownBy(() -> SoftTestSupport.open(s, "pw")).hasMessageContaining("create is false");
  }

  @Test
  void open_badSettings_rejectedNamingKey() {
    Map<String, Object> unknown = SoftTestSupport.settings(dir.resolve("g.keys"));
    unknown.put("passphrase", "inline!");
    assertThatThrownBy(() -> SoftTestSupport.open(unknown, "pw"))
        .hasMessageContaining("unknown key passphrase")
        .hasMessageNotContaining("inline!");
    Map<String, Object> both = SoftTestSupport.settings(dir.resolve("g.keys"));
    both.put("passphrase_file", "/run/secrets/x");
    assertThatThrownBy(() -> SoftTestSupport.open(both, "pw"))
        .hasMessageContaining("contradictory keys passphrase_file and passphrase_env");
    Map<String, Object> weak = SoftTestSupport.settings(dir.resolve("g.keys"));
    weak.put("kdf_memory_kib", 16);
    assertThatThrownBy(() -> SoftTestSupport.open(weak, "pw"))
        .hasMessageContaining("key 'kdf_memory_kib'");
  }

  @Test
  void importKey_disabledByDefault_unsupportedAndNotReported() throws Exception {
    try (HsmDriver d =
        SoftTestSupport.open(SoftTestSupport.settings(dir.resolve("h.keys")), "pw")) {
      assertThat(d.capabilities()).doesNotContain(Capability.INSECURE_TEST_KEY_IMPORT);
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      assertKind(
          HsmException.Kind.UNSUPPORTED,
          () ->
              ((InsecureTestKeyImport) d)
                  .importKeyPairInsecureTestOnly(KeySpec.EC_P256, "x", g.generateKeyPair()));
    }
  }

  @Test
  void importedTestKey_notPersisted() throws Exception {
    Path f = dir.resolve("i.keys");
    Map<String, Object> s = SoftTestSupport.settings(f);
    s.put("insecure_test_key_import", true);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    try (HsmDriver d = SoftTestSupport.open(s, "pw")) {
      KeyHandle h =
          ((InsecureTestKeyImport) d)
              .importKeyPairInsecureTestOnly(KeySpec.EC_P256, "imported", g.generateKeyPair());
      assertThat(d.findKey("imported")).contains(h);
    }
    try (HsmDriver d = SoftTestSupport.open(SoftTestSupport.settings(f), "pw")) {
      assertThat(d.findKey("imported")).isEmpty();
    }
  }
}
