package dev.fleetvault.driver.kmip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetvault.driver.spi.DriverSettings;
import dev.fleetvault.driver.spi.HsmException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Strict parsing of the kmip driver's settings (no server needed). */
class KmipDriverConfigTest {
  private static Map<String, Object> minimal() {
    Map<String, Object> m = new HashMap<>();
    m.put("host", "kmip.example");
    m.put("client_certificate", "pki/client.crt");
    m.put("client_key_file", "pki/client.key");
    m.put("ca_certificate", "pki/ca.crt");
    return m;
  }

  private static KmipDriverConfig parse(Map<String, Object> m) throws HsmException {
    return KmipDriverConfig.from(
        DriverSettings.of("node.yaml: hsm.settings", m, Path.of("/etc/fleetvault")));
  }

  @Test
  void from_minimal_defaultsAndRelativePaths() throws Exception {
    KmipDriverConfig c = parse(minimal());
    assertThat(c.port()).isEqualTo(5696);
    assertThat(c.clientCertificate()).isEqualTo(Path.of("/etc/fleetvault/pki/client.crt"));
    assertThat(c.verifyHostname()).isTrue();
    assertThat(c.insecureAllowExtractableKeys()).isFalse();
    assertThat(c.operationTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.maxSessions()).isEqualTo(4);
  }

  @Test
  void from_unknownKey_configErrorNamingIt() {
    Map<String, Object> m = minimal();
    m.put("hostname", "typo");
    assertThatThrownBy(() -> parse(m))
        .isInstanceOfSatisfying(
            HsmException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(HsmException.Kind.CONFIG);
              assertThat(e.getMessage()).contains("hostname").contains("node.yaml");
            });
  }

  @Test
  void from_missingHost_configError() {
    Map<String, Object> m = minimal();
    m.remove("host");
    assertThatThrownBy(() -> parse(m))
        .isInstanceOfSatisfying(
            HsmException.class, e -> assertThat(e.getMessage()).contains("host"));
  }

  @Test
  void from_keyAsFileAndEnv_configError() {
    Map<String, Object> m = minimal();
    m.put("client_key_env", "KMIP_KEY");
    assertThatThrownBy(() -> parse(m))
        .isInstanceOfSatisfying(
            HsmException.class, e -> assertThat(e.kind()).isEqualTo(HsmException.Kind.CONFIG));
  }

  @Test
  void from_inlineKey_rejected() {
    Map<String, Object> m = minimal();
    m.remove("client_key_file");
    m.put("client_key", "-----BEGIN PRIVATE KEY-----");
    assertThatThrownBy(() -> parse(m))
        .isInstanceOfSatisfying(
            HsmException.class, e -> assertThat(e.kind()).isEqualTo(HsmException.Kind.CONFIG));
  }

  @Test
  void from_usernameWithoutPassword_configError() {
    Map<String, Object> m = minimal();
    m.put("username", "dc1");
    assertThatThrownBy(() -> parse(m))
        .isInstanceOfSatisfying(
            HsmException.class, e -> assertThat(e.getMessage()).contains("username"));
    m.put("password_env", "KMIP_PASSWORD");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> parse(m))).isNull();
  }

  @Test
  void from_portOutOfRange_configError() {
    Map<String, Object> m = minimal();
    m.put("port", 70000);
    assertThatThrownBy(() -> parse(m)).isInstanceOf(HsmException.class);
  }

  @Test
  void provider_describesEverySettingItParses() {
    KmipDriverProvider p = new KmipDriverProvider();
    assertThat(p.id()).isEqualTo("kmip");
    assertThat(p.configType()).isEqualTo(KmipDriverConfig.class);
    assertThat(p.describeSettings())
        .containsKeys(
            "host",
            "port",
            "client_certificate",
            "client_key_file",
            "client_key_env",
            "ca_certificate",
            "insecure_allow_extractable_keys");
  }
}
