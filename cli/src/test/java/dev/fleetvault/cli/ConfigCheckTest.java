package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code fleetvault config check FILE}: exit 0 with a summary, or exit 2 with the file:line error.
 */
class ConfigCheckTest {

  private static Path localYaml() {
    return Path.of(System.getProperty("fleetvault.root", "..")).resolve("config/local.yaml");
  }

  @Test
  void check_shippedLocalConfig_ok() {
    CliRun r = CliRun.run("", "config", "check", localYaml().toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains(": ok")
        .contains("fleet local: 3 members")
        .contains("dc1: client 127.0.0.1:7401")
        .contains("admin 127.0.0.1:7441");
  }

  @Test
  void check_unknownKey_exit2WithFileAndLine() throws Exception {
    Path dir = TestDirs.fresh("config-check");
    String yaml =
        Files.readString(localYaml())
            .replace(
                "  per_user_per_minute: 600\n",
                "  per_user_per_minute: 600\n  per_user_per_minut: 5\n");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, yaml);
    for (String f :
        new String[] {
          "dev-app-jwt.DEVELOPMENT-ONLY.pub.pem", "dev-soft-hsm-passphrase.DEVELOPMENT-ONLY.txt"
        }) {
      Files.copy(localYaml().resolveSibling(f), dir.resolve(f));
    }
    CliRun r = CliRun.run("", "config", "check", bad.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    int line = yaml.lines().toList().indexOf("  per_user_per_minut: 5") + 1;
    assertThat(r.stderr()).contains(bad + ":" + line).contains("per_user_per_minut");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void check_missingFile_exit2() {
    CliRun r = CliRun.run("", "config", "check", "/nonexistent/fleetvault.yaml");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("no configuration file /nonexistent/fleetvault.yaml");
  }
}
