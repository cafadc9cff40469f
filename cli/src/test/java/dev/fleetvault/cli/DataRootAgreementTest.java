package dev.fleetvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.cli.impl.DataRoots;
import dev.fleetvault.gateway.config.NodeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code up --data-root D} and the commands that connect to its fleet ({@code bench}, {@code
 * register}, ...) look for the trust file in one place: {@code D/fleet/trust.json} with the same
 * {@code --data-root} (or {@code FLEETVAULT_DATA_ROOT} for both), and a missing one is named with
 * the way to point at it. The running case is in {@code UpRestartTest}.
 */
class DataRootAgreementTest {

  @Test
  void choose_optionThenEnvironmentThenNone() {
    Path opt = Path.of("/x/opt");
    assertThat(DataRoots.choose(opt, Map.of(DataRoots.ENV, "/x/env")::get)).isEqualTo(opt);
    assertThat(DataRoots.choose(null, Map.of(DataRoots.ENV, "/x/env")::get))
        .isEqualTo(Path.of("/x/env"));
    assertThat(DataRoots.choose(null, Map.of(DataRoots.ENV, "  ")::get)).isNull();
    assertThat(DataRoots.choose(null, Map.<String, String>of()::get)).isNull();
  }

  @Test
  void bench_sameDataRootAsUp_looksWhereUpWritesTheTrustFile() throws Exception {
    Path work = TestDirs.fresh("data-root-agreement");
    TestFleet fleet =
        TestFleet.configure(work.resolve("fleet"), Ports.freeBlock(Ports.FLEET_BLOCK));
    Path elsewhere = work.resolve("elsewhere");
    // Where 'up --data-root elsewhere' writes it (LocalBundles uses the same function).
    Path upWrites =
        ClientFactory.trustFile(NodeConfig.load(fleet.configFile(), elsewhere)).toAbsolutePath();
    assertThat(upWrites).isEqualTo(elsewhere.toAbsolutePath().resolve("fleet/trust.json"));

    List<String> bench =
        List.of("--users", "1", "--duration", "1", "--no-fleet-cpu", "--edge", "127.0.0.1:1");
    CliRun same =
        CliRun.run(
            "",
            fleet.cliArgs(),
            concat("bench", List.of("--data-root", elsewhere.toString()), bench));
    assertThat(same.exit()).as(same.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(same.stderr()).contains("no trust file " + upWrites);

    CliRun without = CliRun.run("", fleet.cliArgs(), concat("bench", List.of(), bench));
    assertThat(without.exit()).as(without.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(without.stderr())
        .contains("no trust file " + fleet.dataRoot().resolve("fleet/trust.json"))
        .contains("the same --data-root DIR here")
        .contains(DataRoots.ENV);
  }

  private static String[] concat(String command, List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>();
    all.add(command);
    all.addAll(a);
    all.addAll(b);
    return all.toArray(new String[0]);
  }
}
