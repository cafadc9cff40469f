package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.cli.preload.Population;
import dev.fleetvault.cli.preload.Preloader;
import dev.fleetvault.client.FleetvaultClient;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fleetvault preload}: fills a development fleet with a synthetic population (registrations
 * through the ordinary client protocol) and recovers samples of it. It is a client like any other:
 * it reaches the fleet only through the public edge, with the app's token key, and can do nothing
 * an app could not.
 */
@Command(
    name = "preload",
    mixinStandardHelpOptions = true,
    header = "Scale benchmark: register a synthetic population, recover samples of it.",
    description =
        "Registers users preload-<seed>-<from> .. preload-<seed>-<to-1> through the full protocol "
            + "(PIN and secret of each derived from the public seed: benchmark data only), showing progress, "
            + "then recovers --sample random users of 0..<to-1> and checks their secrets. Run it again with a "
            + "higher --to and --from to grow the population. Prints the registration rate and the sample's "
            + "recovery rate and latency.")
final class PreloadCommand implements Callable<Integer> {
  @ParentCommand FleetvaultCommand parent;

  @Option(
      names = "--seed",
      paramLabel = "LABEL",
      defaultValue = "scale",
      description =
          "Population label (A-Z a-z 0-9 _ -); the same seed gives the same users, PINs and secrets. Default: ${DEFAULT-VALUE}.")
  String seed;

  @Option(
      names = "--from",
      paramLabel = "I",
      defaultValue = "0",
      description = "First index to register. Default: ${DEFAULT-VALUE}.")
  long from;

  @Option(
      names = "--to",
      paramLabel = "N",
      required = true,
      description = "One past the last index to register; the population is then 0..N-1.")
  long to;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      defaultValue = "32",
      description = "Calls in flight. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(
      names = "--sample",
      paramLabel = "K",
      defaultValue = "20",
      description =
          "Distinct random users of the whole population 0..N-1 to recover afterwards (0: none). Default: ${DEFAULT-VALUE}.")
  int sample;

  @Option(
      names = "--guesses",
      paramLabel = "L",
      defaultValue = "10",
      description = "Guess limit of each registration. Default: ${DEFAULT-VALUE}.")
  int guesses;

  @Mixin ConnectOptions connect;

  @Override
  public Integer call() throws InterruptedException {
    Io io = parent.io();
    Population population;
    try {
      population = new Population(seed);
      if (from < 0 || to < from || to > 1_000_000_000L)
        throw new IllegalArgumentException("need 0 <= --from <= --to <= 10^9");
      if (concurrency < 1 || concurrency > 1024)
        throw new IllegalArgumentException("--concurrency must be 1..1024");
      if (sample < 0 || sample > Math.min(to, 1_000_000))
        throw new IllegalArgumentException("--sample must be 0..min(--to, 10^6)");
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    PrintStream out = io.out(), err = io.err();
    Preloader.Progress progress =
        (phase, done, ok, total, seconds) ->
            err.printf(
                Locale.ROOT,
                "%s: %d/%d done, %d ok, %.1f/s, %.0f s%n",
                phase,
                done,
                total,
                ok,
                ok / Math.max(seconds, 1e-3),
                seconds);
    Preloader.Result reg, rec = null;
    try (FleetvaultClient client = ClientFactory.open(connect)) {
      Preloader preloader = new Preloader(client, population, concurrency, guesses, progress);
      reg = preloader.register(from, to);
      print(out, "register", reg);
      if (sample > 0) {
        rec = preloader.recoverSample(to, sample, System.nanoTime());
        print(out, "recover sample of " + to, rec);
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    out.flush();
    if (reg.ok() != reg.attempted() || (rec != null && rec.ok() != rec.attempted())) {
      err.println("preload: not every operation succeeded (see the outcomes above)");
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }

  private static void print(PrintStream out, String what, Preloader.Result r) {
    out.printf(
        Locale.ROOT,
        "%s: %d ok of %d in %.1f s = %.1f/s, p50 %.0f ms, p99 %.0f ms, outcomes %s%n",
        what,
        r.ok(),
        r.attempted(),
        r.seconds(),
        r.rate(),
        r.latencyMillis(0.5),
        r.latencyMillis(0.99),
        r.outcomes());
  }
}
