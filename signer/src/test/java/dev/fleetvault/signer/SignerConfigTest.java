package dev.fleetvault.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signer's configuration file, read through the strict YAML layer. */
class SignerConfigTest {
  private static final String BASE =
      "listen:\n"
          + "  host: 127.0.0.1\n"
          + "  port: 0\n"
          + "data_dir: signer-data\n"
          + "origin: test.fleetvault.dev/signer\n"
          + "key_label: signer.ed25519\n"
          + "hsm:\n"
          + "  driver: soft\n"
          + "  allowed_providers: [dev.fleetvault.driver.soft.SoftDriverProvider]\n"
          + "  settings:\n"
          + "    key_file: signer.softkeys\n"
          + "    passphrase_file: signer.pass\n"
          + "    kdf_iterations: 1\n"
          + "operator:\n"
          + "  public_key_file: operator.pub\n";

  @TempDir Path dir;

  @BeforeEach
  void operatorKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    SignerConfig.writePem(dir.resolve("operator.pub"), g.generateKeyPair().getPublic());
  }

  private Path write(String yaml) throws Exception {
    Path f = dir.resolve("signer.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void load_noLimitsSection_defaultConnectionLimit() throws Exception {
    SignerConfig c = SignerConfig.load(write(BASE));

    assertThat(c.maxConnectionsPerAddress())
        .isEqualTo(SignerConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS)
        .isEqualTo(64);
    assertThat(c.hsm().driver()).isEqualTo("soft");
    assertThat(c.hsm().settings()).containsEntry("kdf_iterations", 1L);
  }

  @Test
  void load_maxConnectionsPerAddressGiven_used() throws Exception {
    SignerConfig c = SignerConfig.load(write(BASE + "limits:\n  max_connections_per_address: 7\n"));

    assertThat(c.maxConnectionsPerAddress()).isEqualTo(7);
  }

  @Test
  void load_maxConnectionsPerAddressZero_refusedWithFileLineAndKey() throws Exception {
    Path f = write(BASE + "limits:\n  max_connections_per_address: 0\n");

    assertThatThrownBy(() -> SignerConfig.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(f + ":17:")
        .hasMessageContaining("limits.max_connections_per_address")
        .hasMessageContaining("between 1 and 100000");
  }

  @Test
  void load_maxConnectionsPerAddressInHex_refusedAsNotDecimal() throws Exception {
    Path f = write(BASE + "limits:\n  max_connections_per_address: 0x40\n");

    assertThatThrownBy(() -> SignerConfig.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limits.max_connections_per_address")
        .hasMessageContaining("decimal integer");
  }

  @Test
  void load_unknownKeyInLimits_refusedWithFileLine() throws Exception {
    Path f = write(BASE + "limits:\n  max_connections: 7\n");

    assertThatThrownBy(() -> SignerConfig.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(f + ":17:")
        .hasMessageContaining("unknown key 'limits.max_connections'");
  }

  @Test
  void load_poolKeyInHsmSection_refusedAsUnknown() throws Exception {
    Path f = write(BASE.replace("  driver: soft\n", "  driver: soft\n  workers: 4\n"));

    assertThatThrownBy(() -> SignerConfig.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown key 'hsm.workers'");
  }

  @Test
  void load_duplicateTopLevelKey_refused() throws Exception {
    Path f = write(BASE + "origin: other.example/signer\n");

    assertThatThrownBy(() -> SignerConfig.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("'origin' appears twice");
  }
}
