package dev.fleetvault.signer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target: loading the signer's YAML configuration ({@link SignerConfig#load}).
 *
 * <p>Property: loading either returns a configuration or throws {@link IllegalArgumentException}
 * (invalid content, naming the file) or {@link IOException} (a file it names cannot be read) —
 * never another exception, never a hang. The fuzzed file sits next to an operator public key
 * ({@code operator.pub}) so that configurations derived from the committed samples can load.
 */
class SignerConfigFuzzTest {
  static Path dir;

  @BeforeAll
  static void files() throws Exception {
    Path base = Path.of(System.getProperty("fleetvault.buildDir", "target")).toAbsolutePath();
    Files.createDirectories(base);
    dir = Files.createTempDirectory(base, "signerconfig-fuzz-");
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    SignerConfig.writePem(dir.resolve("operator.pub"), g.generateKeyPair().getPublic());
  }

  @FuzzTest
  void load_anyFile(byte[] yaml) throws IOException {
    Path f = dir.resolve("signer.yaml");
    Files.write(f, yaml);
    try {
      SignerConfig c = SignerConfig.load(f);
      assertThat(c.port()).isBetween(0, 65535);
      assertThat(c.namespaces()).isNotEmpty();
      if (c.admin() != null) {
        assertThat(c.admin().port()).isBetween(0, 65535);
        assertThat(
                c.admin().port() == 0
                    || c.admin().port() != c.port()
                    || !c.admin().host().equals(c.host()))
            .as("admin never on the API's own address")
            .isTrue();
      }
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).contains(f.toString());
    } catch (IOException expected) {
      assertThat(expected).isNotNull();
    }
  }
}
