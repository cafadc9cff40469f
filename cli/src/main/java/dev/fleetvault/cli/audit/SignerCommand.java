package dev.fleetvault.cli.audit;

import dev.fleetvault.signer.SignerMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fleetvault signer --config FILE}: run the independent signer in this process until
 * stopped.
 */
@Command(
    name = "signer",
    mixinStandardHelpOptions = true,
    header =
        "Run the independent signer and its audit log (its own process, its own key and data directory).",
    description =
        "Prints `fleetvault-signer listening on http://HOST:PORT vkey=...` once it serves. Exit 2 on a bad config, 1 on a start failure.")
public final class SignerCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "signer YAML (see docs/AUDIT.md)")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    return SignerMain.run(config);
  }
}
