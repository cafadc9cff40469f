package dev.fleetvault.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.gateway.support.TestFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nodes[].hsm.member_keys}: default in_hsm, explicit wrapped, anything else refused. */
class MemberKeysConfigTest {
  @TempDir Path dir;

  private Path withMemberKeys(String line) throws Exception {
    String text =
        Files.readString(TestFleet.repo().resolve("config/local.yaml"))
            .replace(
                "[dev-app-jwt.DEVELOPMENT-ONLY.pub.pem]",
                "["
                    + TestFleet.repo().resolve("config/dev-app-jwt.DEVELOPMENT-ONLY.pub.pem")
                    + "]");
    String from = "      driver: soft\n";
    assertThat(text).contains(from);
    Path f = dir.resolve("node.yaml");
    Files.writeString(
        f,
        line == null ? text : text.replaceFirst(from, from + line + "\n"),
        StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void load_noMemberKeys_inHsm() throws Exception {
    NodeConfig c = NodeConfig.load(withMemberKeys(null));
    assertThat(c.nodes())
        .allSatisfy(n -> assertThat(n.hsm().memberKeys()).isEqualTo(MemberKeyMode.IN_HSM));
  }

  @Test
  void load_memberKeysWrapped_wrapped() throws Exception {
    NodeConfig c = NodeConfig.load(withMemberKeys("      member_keys: wrapped"));
    assertThat(c.nodes())
        .hasSize(3)
        .allSatisfy(n -> assertThat(n.hsm().memberKeys()).isEqualTo(MemberKeyMode.WRAPPED));
  }

  @Test
  void load_kmip3dcNodeFiles_kmipDriverWithWrappedMemberKeys() {
    for (String dc : new String[] {"dc1", "dc2", "dc3"}) {
      NodeConfig c =
          NodeConfig.load(TestFleet.repo().resolve("config/kmip-3dc/node-" + dc + ".yaml"), dir);
      assertThat(c.nodes())
          .singleElement()
          .satisfies(
              n -> {
                assertThat(n.member()).isEqualTo(dc);
                assertThat(n.hsm().driver()).isEqualTo("kmip");
                assertThat(n.hsm().memberKeys()).isEqualTo(MemberKeyMode.WRAPPED);
              });
    }
  }

  @Test
  void load_memberKeysUnknown_refusedNamingBothModes() throws Exception {
    Path f = withMemberKeys("      member_keys: software");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nodes[0].hsm.member_keys")
        .hasMessageContaining("in_hsm")
        .hasMessageContaining("wrapped")
        .hasMessageMatching("(?s).*:\\d+: .*");
  }
}
