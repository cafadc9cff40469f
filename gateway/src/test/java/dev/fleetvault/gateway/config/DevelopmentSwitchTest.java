package dev.fleetvault.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.config.yaml.ConfigException;
import dev.fleetvault.gateway.LocalFleet;
import dev.fleetvault.gateway.support.TestFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: the development shortcuts (fleet directory, development PKI, soft driver, in-JVM local
 * fleet) exist only behind an explicit {@code development: true} that a production configuration
 * cannot carry by accident: it is refused when any listener is not on loopback, and without it a
 * node must name its signed fleet bundle.
 */
class DevelopmentSwitchTest {
  @TempDir Path dir;

  private static final String BUNDLE = "fleet_bundle:\n  trust: trust.json\n  file: bundle.json\n";

  private Path variant(String from, String to) throws Exception {
    String text = Files.readString(TestFleet.repo().resolve("config/local.yaml"));
    assertThat(text).contains(from);
    Path f = dir.resolve("variant.yaml");
    Files.writeString(
        f,
        text.replace(from, to)
            .replace(
                "dev-app-jwt.DEVELOPMENT-ONLY.pub.pem",
                TestFleet.repo().resolve("config/dev-app-jwt.DEVELOPMENT-ONLY.pub.pem").toString()),
        StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void load_localYaml_isDevelopment() {
    NodeConfig c = NodeConfig.load(TestFleet.repo().resolve("config/local.yaml"));
    assertThat(c.development()).isTrue();
    assertThat(c.fleetBundle()).isEmpty();
  }

  @Test
  void load_developmentWithNonLoopbackListener_refusedNamingMemberAndAddress() throws Exception {
    Path f = variant("client: 127.0.0.1:7402", "client: 10.1.2.3:7402");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'development'")
        .hasMessageContaining("member dc2 listens on 10.1.2.3:7402 (not a loopback address)");
    Path g = variant("raft: 127.0.0.1:7423", "raft: 192.168.7.9:7423");
    assertThatThrownBy(() -> NodeConfig.load(g))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("member dc3 listens on 192.168.7.9:7423");
  }

  @Test
  void load_productionWithoutFleetBundle_refused() throws Exception {
    Path f = variant("development: true", "development: false");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "a production node learns its peers only from the fleet's signed bundle");
  }

  @Test
  void load_productionOnSoftDriverWithoutExplicitAllowance_refused() throws Exception {
    Path f = variant("development: true", BUNDLE);
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("software HSM driver, which is for development only");
    Path ok = variant("development: true", BUNDLE + "  allow_soft_driver: true\n");
    NodeConfig c = NodeConfig.load(ok);
    assertThat(c.development()).isFalse();
    assertThat(c.fleetBundle().orElseThrow().file()).contains(dir.resolve("bundle.json"));
    assertThat(c.fleetBundle().orElseThrow().trust()).isEqualTo(dir.resolve("trust.json"));
  }

  @Test
  void load_developmentAndFleetBundle_refused() throws Exception {
    Path f = variant("development: true", "development: true\n" + BUNDLE);
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 'fleet_bundle'");
  }

  @Test
  void load_fleetBundleFileAndSigner_refused() throws Exception {
    Path f =
        variant(
            "development: true",
            BUNDLE + "  signer: http://127.0.0.1:1\n" + "  allow_soft_driver: true\n");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("exactly one of file");
  }

  @Test
  void load_evidenceWithoutWitnesses_refused() throws Exception {
    Path f =
        variant("development: true", BUNDLE + "  evidence: evidence\n  allow_soft_driver: true\n");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("NAME=PUBLIC_KEY_FILE");
  }

  @Test
  void localFleet_productionConfig_refused() throws Exception {
    Path f = variant("development: true", BUNDLE + "  allow_soft_driver: true\n");
    assertThatThrownBy(() -> LocalFleet.start(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("in-JVM local fleet is for development only");
  }
}
