package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.cli.preload.Population;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code fleetvault preload} against a real fleet: every user of the population is registered
 * through the protocol, samples recover for real, and the ordinary {@code recover} command recovers
 * a preloaded user with the PIN the population derives (so the preloaded rows and records are those
 * registration writes).
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreloadCommandTest {
  private TestFleet fleet;
  private List<String> common;

  @BeforeAll
  void startFleet() throws Exception {
    fleet =
        TestFleet.start(
            TestDirs.fresh("preload").resolve("fleet"), Ports.freeBlock(Ports.FLEET_BLOCK));
    common = fleet.cliArgs();
  }

  @AfterAll
  void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void preload_population_registersEveryUserAndRecoversSamplesAndGrows() throws Exception {
    CliRun r =
        CliRun.run(
            "",
            common,
            "preload",
            "--seed",
            "t1",
            "--to",
            "200",
            "--concurrency",
            "16",
            "--sample",
            "30");

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains(
            "register: 200 ok of 200", "recover sample of 200: 30 ok of 30", "outcomes {ok=30}");
    assertThat(r.stderr()).contains("register: 200/200 done, 200 ok");

    // the population grows from where it stopped; the sample is drawn from all of it
    CliRun more =
        CliRun.run(
            "",
            common,
            "preload",
            "--seed",
            "t1",
            "--from",
            "200",
            "--to",
            "220",
            "--sample",
            "40");

    assertThat(more.exit()).as(more.toString()).isEqualTo(ExitCodes.OK);
    assertThat(more.out()).contains("register: 20 ok of 20", "recover sample of 220: 40 ok of 40");
  }

  @Test
  void recover_preloadedUser_ordinaryRecoverReturnsDerivedSecretAndWrongPinCounts()
      throws Exception {
    CliRun r = CliRun.run("", common, "preload", "--seed", "t2", "--to", "5", "--sample", "0");
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
    Population p = new Population("t2");

    CliRun ok = CliRun.run(new String(p.pin(3)) + "\n", common, "recover", "--user", p.user(3));
    assertThat(ok.exit()).as(ok.toString()).isEqualTo(ExitCodes.OK);
    assertThat(ok.stdout()).isEqualTo(p.secret(3));

    String wrong = new String(p.pin(4)).equals("000000") ? "000001" : "000000";
    CliRun bad = CliRun.run(wrong + "\n", common, "recover", "--user", p.user(4));
    assertThat(bad.exit()).as(bad.toString()).isEqualTo(ExitCodes.WRONG_PIN);

    CliRun none = CliRun.run(new String(p.pin(5)) + "\n", common, "recover", "--user", p.user(5));
    assertThat(none.exit()).as(none.toString()).isEqualTo(ExitCodes.NO_GUESSES_OR_NOT_REGISTERED);
  }

  @Test
  void preload_badSeedOrRange_usageError() {
    assertThat(CliRun.run("", common, "preload", "--seed", "a b", "--to", "2").exit())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.run("", common, "preload", "--from", "5", "--to", "2").exit())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.run("", common, "preload", "--to", "2", "--concurrency", "0").exit())
        .isEqualTo(ExitCodes.USAGE);
  }
}
