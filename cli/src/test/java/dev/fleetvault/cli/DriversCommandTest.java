package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code fleetvault drivers} lists the built-in providers with their settings and capabilities. */
class DriversCommandTest {

  @Test
  void drivers_builtIns_listedWithSettingsAndCapabilities() {
    CliRun r = CliRun.run("", "drivers");
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
    String out = r.out();
    assertThat(out)
        .contains("soft  dev.fleetvault.driver.soft.SoftDriverProvider")
        .contains("pkcs11  dev.fleetvault.driver.pkcs11.Pkcs11DriverProvider")
        .contains("kmip  dev.fleetvault.driver.kmip.KmipDriverProvider")
        .contains("spi version:  1");
    // settings come from each provider's describeSettings()
    assertThat(out)
        .containsPattern("(?m)^    key_file +\\S")
        .containsPattern("(?m)^    library +\\S")
        .containsPattern("(?m)^    pin_file +\\S");
    // the kmip driver declares no ECDH, the soft driver every capability
    String kmip = out.substring(out.indexOf("kmip  dev."));
    String kmipCaps =
        kmip.lines().filter(l -> l.startsWith("  capabilities:")).findFirst().orElseThrow();
    assertThat(kmipCaps).contains("SIGN_RSA_PSS").doesNotContain("ECDH_P256");
    String soft = out.substring(out.indexOf("soft  dev."));
    assertThat(soft.lines().filter(l -> l.startsWith("  capabilities:")).findFirst().orElseThrow())
        .contains("ECDH_P256")
        .contains("SIGN_ED25519");
  }

  @Test
  void drivers_unknownOption_usage() {
    assertThat(CliRun.run("", "drivers", "--bogus").exit()).isEqualTo(ExitCodes.USAGE);
  }
}
