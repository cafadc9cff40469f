package dev.fleetvault.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.gateway.support.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target: loading a node configuration file ({@code StrictYaml} then {@link NodeConfig#load}),
 * the file an operator (or whoever can write it) hands every node.
 *
 * <p>Property: loading either returns a configuration or throws {@link ConfigException} (the
 * documented error, naming file and key) — never another exception, never a hang (the YAML reader
 * bounds size, nesting and aliases). The fuzzed file is written into a directory that also holds
 * the development app key and passphrase files, so that configurations derived from the committed
 * corpus ({@code config/local.yaml} and variants) can load completely.
 */
class NodeConfigFuzzTest {
  static Path dir;

  @BeforeAll
  static void files() throws IOException {
    Path base = Path.of(System.getProperty("fleetvault.buildDir", "target")).toAbsolutePath();
    Files.createDirectories(base);
    dir = Files.createTempDirectory(base, "nodeconfig-fuzz-");
    Path config = TestFleet.repo().resolve("config");
    for (String f :
        new String[] {
          "dev-app-jwt.DEVELOPMENT-ONLY.pub.pem", "dev-soft-hsm-passphrase.DEVELOPMENT-ONLY.txt"
        }) {
      Files.copy(config.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @FuzzTest
  void load_anyFile(byte[] yaml) throws IOException {
    Path f = dir.resolve("fuzz.yaml");
    Files.write(f, yaml);
    try {
      NodeConfig c = NodeConfig.load(f);
      assertThat(c.members().size()).isOdd().isGreaterThanOrEqualTo(3);
      assertThat(c.threshold()).isEqualTo(c.members().size() / 2 + 1);
    } catch (ConfigException expected) {
      assertThat(expected.getMessage()).contains(f.toString());
    }
  }
}
