package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code fleetvault app-link}: the web app's address with a token for the user in the fragment. */
@Tag("process")
class AppLinkCommandTest {

  @Test
  void appLink_user_printsLocalhostLinkWithTokenForThatUser() throws Exception {
    int base = Ports.freeBlock(Ports.FLEET_BLOCK);
    TestFleet f = TestFleet.configure(TestDirs.fresh("app-link"), base);
    CliRun r =
        CliRun.run(
            "",
            List.of(),
            "app-link",
            "--user",
            "josé",
            "--config",
            f.configFile().toString(),
            "--app-key",
            f.appKeyFile().toString(),
            "--valid-minutes",
            "30");
    assertThat(r.exit()).as(r.stderr()).isEqualTo(ExitCodes.OK);
    String out = new String(r.stdout(), StandardCharsets.UTF_8).trim();
    String prefix = "http://localhost:" + (base + 1) + "/app/#token=";
    assertThat(out).startsWith(prefix);
    String[] jwt = out.substring(prefix.length()).split("\\.");
    assertThat(jwt).hasSize(3);
    String claims = new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8);
    assertThat(claims).contains("\"sub\":\"josé\"").contains("\"iss\":\"" + TestFleet.APP + "\"");
  }

  @Test
  void appLink_validMinutesOutOfRange_usageError() throws Exception {
    TestFleet f =
        TestFleet.configure(TestDirs.fresh("app-link"), Ports.freeBlock(Ports.FLEET_BLOCK));
    CliRun r =
        CliRun.run(
            "",
            List.of(),
            "app-link",
            "--user",
            "a",
            "--config",
            f.configFile().toString(),
            "--app-key",
            f.appKeyFile().toString(),
            "--valid-minutes",
            "0");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("--valid-minutes");
  }
}
