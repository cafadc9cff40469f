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

class NodeConfigTest {
  @TempDir Path dir;

  @Test
  void load_localYaml_threeMembersOnSoftDriver() {
    NodeConfig c = NodeConfig.load(TestFleet.repo().resolve("config/local.yaml"));
    assertThat(c.members()).extracting(MemberSpec::id).containsExactly("dc1", "dc2", "dc3");
    assertThat(c.members()).extracting(m -> m.client().port()).containsExactly(7401, 7402, 7403);
    assertThat(c.threshold()).isEqualTo(2);
    assertThat(c.nodes())
        .hasSize(3)
        .allSatisfy(n -> assertThat(n.hsm().driver()).isEqualTo("soft"));
    assertThat(c.dataRoot()).isEqualTo(TestFleet.repo().resolve("data"));
    assertThat(c.apps()).singleElement().satisfies(a -> assertThat(a.id()).isEqualTo("dev-app"));
  }

  @Test
  void load_appPasskey_relyingPartyParsedAndBadOriginRefused() throws Exception {
    NodeConfig c = NodeConfig.load(TestFleet.repo().resolve("config/local.yaml"));
    assertThat(c.apps().get(0).passkey())
        .hasValueSatisfying(
            rp -> {
              assertThat(rp.rpId()).isEqualTo("localhost");
              assertThat(rp.origins()).contains("http://localhost:7401");
            });
    Path f = variant("origins: [http://localhost:7401,", "origins: [http://evil.example:7401,");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("passkey")
        .hasMessageContaining("http only for localhost");
  }

  @Test
  void load_dataRootOverride_movesEveryNodeDir() {
    NodeConfig c = NodeConfig.load(TestFleet.repo().resolve("config/local.yaml"), dir);
    assertThat(c.nodes()).allSatisfy(n -> assertThat(n.dataDir().startsWith(dir)).isTrue());
  }

  @Test
  void load_unknownKey_namesKeyFileAndLine() throws Exception {
    Path f =
        variant("  request_timeout_ms: 15000", "  request_timeout_ms: 15000\n  request_timout: 3");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("unknown key 'limits.request_timout'")
        .hasMessageMatching("(?s).*:\\d+: .*");
  }

  @Test
  void load_wrongType_namesKey() throws Exception {
    Path f = variant("max_message_bytes: 65536", "max_message_bytes: lots");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.max_message_bytes")
        .hasMessageContaining("integer");
  }

  /**
   * YAML 1.1 tags {@code 81_92}, {@code 0x10} and {@code 1:30} as integers: in an HSM driver's
   * settings they are a configuration error at that key, never a raw NumberFormatException (a
   * finding of the configuration fuzzer).
   */
  @Test
  void load_oddIntegerFormsInHsmSettings_refusedNamingKeyOrAccepted() throws Exception {
    for (String odd : new String[] {"0x1_0", "0b10", "1:30", "99999999999999999999"}) {
      Path f = variant("kdf_memory_kib: 8192", "kdf_memory_kib: " + odd);
      assertThatThrownBy(() -> NodeConfig.load(f))
          .as(odd)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("kdf_memory_kib")
          .hasMessageContaining("decimal integer");
    }
    Path grouped = variant("kdf_memory_kib: 8192", "kdf_memory_kib: 8_1_92");
    assertThat(NodeConfig.load(grouped).nodes().get(0).hsm().settings())
        .containsEntry("kdf_memory_kib", 8192L);
  }

  /**
   * An app token key on another 256-bit curve (secp256k1, made with Bouncy Castle) is refused at
   * load, naming the key: only P-256 signs app tokens.
   */
  @Test
  void load_appKeyOnSecp256k1_refusedNamingPublicKeys() throws Exception {
    java.security.KeyPairGenerator g =
        java.security.KeyPairGenerator.getInstance(
            "EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256k1"));
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + java.util.Base64.getMimeEncoder()
                .encodeToString(g.generateKeyPair().getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    Path key = dir.resolve("k1.pub.pem");
    Files.writeString(key, pem, StandardCharsets.US_ASCII);
    Path f =
        variant(
            "public_keys: [dev-app-jwt.DEVELOPMENT-ONLY.pub.pem]", "public_keys: [" + key + "]");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("public_keys")
        .hasMessageContaining("P-256");
    assertThatThrownBy(() -> NodeConfig.parseP256PublicKey(pem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a P-256 public key");
  }

  @Test
  void load_badHostPort_namesKey() throws Exception {
    Path f = variant("client: 127.0.0.1:7402", "client: 127.0.0.1");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fleet.members[1].client");
  }

  /** Two listeners on one port would hang start-up: refused at load, naming both owners. */
  @Test
  void load_twoMembersShareAPort_refusedNamingBoth() throws Exception {
    Path f = variant("client: 127.0.0.1:7402", "client: 127.0.0.1:7411");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fleet.members[1].client")
        .hasMessageContaining("127.0.0.1:7411 is already dc1.peer");
  }

  /** Missing peer TLS files are refused at load, naming the key and the file. */
  @Test
  void load_peerTlsFileMissing_refusedNamingFile() throws Exception {
    Path f =
        variant(
            "  - member: dc3\n    hsm: *soft\n",
            "  - member: dc3\n    hsm: *soft\n"
                + "    peer_tls:\n      ca_cert: nope-ca.pem\n      cert: nope.pem\n      key: nope.key\n");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("peer_tls.ca_cert")
        .hasMessageContaining("nope-ca.pem");
  }

  @Test
  void load_evenMemberCount_refused() throws Exception {
    String text = Files.readString(TestFleet.repo().resolve("config/local.yaml"));
    int cut = text.indexOf("    - id: dc3");
    int end = text.indexOf("\napps:");
    Path f =
        write(
            text.substring(0, cut)
                + text.substring(end + 1).replace("  - member: dc3\n    hsm: *soft\n", ""));
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("odd number of members");
  }

  @Test
  void load_nodeForUnknownMember_refused() throws Exception {
    Path f = variant("  - member: dc3", "  - member: dc9");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'dc9' is not one of the fleet's members");
  }

  @Test
  void load_duplicateKey_refused() throws Exception {
    Path f = variant("  id: local", "  id: local\n  id: other");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(f.toString());
  }

  @Test
  void load_wrongVersion_refused() throws Exception {
    Path f = variant("version: 1", "version: 2");
    assertThatThrownBy(() -> NodeConfig.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("version");
  }

  /** Registration policy: local allows the test PIN set, production files refuse it. */
  @Test
  void load_registrationSections_localAllowsTestPinParamsProductionRefuses() {
    assertThat(
            NodeConfig.load(TestFleet.repo().resolve("config/local.yaml"))
                .registration()
                .pinParams())
        .contains(RegistrationSpec.TEST_PIN_PARAMS);
    for (String f :
        new String[] {
          "config/softhsm-3dc/dc1.yaml",
          "config/softhsm-3dc/dc2.yaml",
          "config/softhsm-3dc/dc3.yaml",
          "config/kmip-3dc/node-dc1.yaml",
          "config/kmip-3dc/node-dc2.yaml",
          "config/kmip-3dc/node-dc3.yaml"
        }) {
      assertThat(NodeConfig.load(TestFleet.repo().resolve(f)).registration().pinParams())
          .as(f)
          .containsExactly(RegistrationSpec.DEFAULT_PIN_PARAMS);
    }
  }

  @Test
  void load_noRegistrationSection_productionDefaultsRefuseTestPinParams() throws Exception {
    String text = Files.readString(TestFleet.repo().resolve("config/local.yaml"));
    Path f = variant(text.substring(text.indexOf("registration:"), text.indexOf("nodes:")), "");
    RegistrationSpec r = NodeConfig.load(f).registration();
    assertThat(r).isEqualTo(RegistrationSpec.DEFAULTS);
    assertThat(r.pinParams()).doesNotContain(RegistrationSpec.TEST_PIN_PARAMS);
  }

  @Test
  void load_unknownPinParamsOrLimitOutOfRange_namesKey() throws Exception {
    Path unknown =
        variant(
            "pin_params: [argon2id-v1-default, argon2id-v1-insecure-test-only]",
            "pin_params: [scrypt-fast]");
    assertThatThrownBy(() -> NodeConfig.load(unknown))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("registration.pin_params")
        .hasMessageContaining("scrypt-fast");
    Path tooMany = variant("max_guess_limit: 100", "max_guess_limit: 1001");
    assertThatThrownBy(() -> NodeConfig.load(tooMany))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("registration.max_guess_limit");
  }

  private Path variant(String from, String to) throws Exception {
    String text = Files.readString(TestFleet.repo().resolve("config/local.yaml"));
    assertThat(text).contains(from);
    return write(
        text.replace(from, to)
            .replace(
                "[dev-app-jwt.DEVELOPMENT-ONLY.pub.pem]",
                "["
                    + TestFleet.repo().resolve("config/dev-app-jwt.DEVELOPMENT-ONLY.pub.pem")
                    + "]"));
  }

  private Path write(String text) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }
}
