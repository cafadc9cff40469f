package dev.fleetvault.loadgen;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one load run: counts, throughput, latency percentiles (microseconds) and the
 * crypto ceiling.
 *
 * @param options what was run
 * @param registered users registered successfully
 * @param registerLatency latency of the registrations
 * @param recovered recoveries that returned the right secret byte for byte
 * @param outcomes every recovery outcome by name (Recovered, WrongPin, Unavailable, error:…)
 * @param recoverLatency latency of the successful recoveries
 * @param recoverSeconds length of the timed phase as measured
 * @param ceiling the crypto ceiling measured in the same process
 * @param main the timed phase these figures come from (with the fleet's CPU, if read), or null
 * @param latencyGoal the three phases of a latency report, or null
 */
public record LoadReport(
    LoadOptions options,
    long registered,
    Histogram registerLatency,
    long recovered,
    Map<String, Long> outcomes,
    Histogram recoverLatency,
    double recoverSeconds,
    CryptoCeiling.Result ceiling,
    LoadGenerator.Phase main,
    LatencyGoal latencyGoal) {

  /**
   * The latency goal's figures: p99 at half the peak throughput against the unloaded p50.
   *
   * @param unloaded one caller, closed loop
   * @param peak the given concurrency, closed loop
   * @param halfPeak open loop at half the peak's throughput, or null when the peak recovered
   *     nothing
   */
  public record LatencyGoal(
      LoadGenerator.Phase unloaded, LoadGenerator.Phase peak, LoadGenerator.Phase halfPeak) {
    /** p99 at half peak divided by the unloaded p50 (NaN when either is missing). */
    public double ratio() {
      if (halfPeak == null
          || halfPeak.latency().getTotalCount() == 0
          || unloaded.latency().getTotalCount() == 0) {
        return Double.NaN;
      }
      return (double) halfPeak.latency().getValueAtPercentile(99)
          / unloaded.latency().getValueAtPercentile(50);
    }
  }

  /** The fleet's CPU seconds per successful recovery in the main phase, or NaN when not read. */
  public double fleetCpuMillisPerRecovery() {
    if (main == null || main.cpu() == null || recovered == 0) {
      return Double.NaN;
    }
    return main.cpu().cpuSeconds() * 1000 / recovered;
  }

  /**
   * Server-side crypto CPU per recovery (the ceiling's sum) over the fleet's CPU per recovery; NaN
   * when not read.
   */
  public double cryptoEfficiency() {
    double fleet = fleetCpuMillisPerRecovery();
    return ceiling == null || Double.isNaN(fleet) || fleet <= 0
        ? Double.NaN
        : ceiling.microsPerRecovery() / 1000 / fleet;
  }

  /** Successful recoveries per second in the timed phase. */
  public double throughput() {
    return recoverSeconds <= 0 ? 0 : recovered / recoverSeconds;
  }

  /** Measured throughput divided by the crypto ceiling. */
  public double ratio() {
    return ceiling == null || ceiling.recoveriesPerSecond() <= 0
        ? 0
        : throughput() / ceiling.recoveriesPerSecond();
  }

  /** Prints the report in the form the README and the closing note quote. */
  public void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "fleetvault bench: %d users, concurrency %d, %d s, %d members, %d cores%n",
        options.users(),
        options.concurrency(),
        options.duration().toSeconds(),
        options.fleetMembers(),
        options.cores());
    out.printf(
        Locale.ROOT,
        "register:   %d ok   p50 %s  p90 %s  p99 %s  max %s%n",
        registered,
        ms(registerLatency, 50),
        ms(registerLatency, 90),
        ms(registerLatency, 99),
        max(registerLatency));
    out.printf(
        Locale.ROOT,
        "recover:    %d ok in %.1f s = %.1f recoveries/s%n",
        recovered,
        recoverSeconds,
        throughput());
    out.printf(
        Locale.ROOT,
        "latency:    p50 %s  p90 %s  p99 %s  max %s%n",
        ms(recoverLatency, 50),
        ms(recoverLatency, 90),
        ms(recoverLatency, 99),
        max(recoverLatency));
    out.printf(Locale.ROOT, "outcomes:   %s%n", outcomes);
    if (ceiling != null) {
      out.println("crypto ceiling (server-side steps, single-thread cost x count per recovery):");
      for (CryptoCeiling.Step s : ceiling.steps()) {
        out.printf(
            Locale.ROOT,
            "  %-12s %8.1f us x %5.1f = %8.1f us  %s%n",
            s.name(),
            s.micros(),
            s.perRecovery(),
            s.microsPerRecovery(),
            s.what());
      }
      out.printf(
          Locale.ROOT,
          "  total        %.1f us of server crypto per recovery; %d cores => ceiling %.1f recoveries/s%n",
          ceiling.microsPerRecovery(),
          ceiling.cores(),
          ceiling.recoveriesPerSecond());
      out.printf(
          Locale.ROOT, "ratio:      measured / ceiling = %.3f (%.1f%%)%n", ratio(), ratio() * 100);
    }
    if (main != null && main.cpu() != null) {
      FleetCpu.Usage u = main.cpu();
      out.printf(
          Locale.ROOT,
          "fleet cpu:  %.1f s in %d process(es) behind %d admin endpoint(s) = %.2f ms per recovery%n",
          u.cpuSeconds(),
          u.processes(),
          u.endpoints(),
          fleetCpuMillisPerRecovery());
      if (ceiling != null) {
        out.printf(
            Locale.ROOT,
            "crypto cpu: %.2f ms per recovery (the ceiling's server-side steps)%n",
            ceiling.microsPerRecovery() / 1000);
        out.printf(
            Locale.ROOT,
            "crypto efficiency: crypto / fleet cpu = %.1f%% (fleet cpu per recovery = %.2fx crypto)%n",
            cryptoEfficiency() * 100,
            1 / cryptoEfficiency());
      }
    }
    if (latencyGoal != null) {
      out.println("latency report:");
      for (LoadGenerator.Phase p :
          java.util.Arrays.asList(
              latencyGoal.unloaded(), latencyGoal.peak(), latencyGoal.halfPeak())) {
        if (p == null) {
          continue;
        }
        out.printf(
            Locale.ROOT,
            "  %-10s concurrency %3d, %s: %.1f recoveries/s, p50 %s  p99 %s  max %s  %s%n",
            p.name(),
            p.concurrency(),
            p.rate() > 0 ? String.format(Locale.ROOT, "open loop %.1f/s", p.rate()) : "closed loop",
            p.throughput(),
            ms(p.latency(), 50),
            ms(p.latency(), 99),
            max(p.latency()),
            p.outcomes());
      }
      out.printf(
          Locale.ROOT,
          "  p99 at half peak / unloaded p50 = %.2f (goal <= 3)%n",
          latencyGoal.ratio());
    }
  }

  private static String ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0
        ? "-"
        : String.format(Locale.ROOT, "%.1f ms", h.getValueAtPercentile(percentile) / 1000.0);
  }

  private static String max(Histogram h) {
    return h.getTotalCount() == 0
        ? "-"
        : String.format(Locale.ROOT, "%.1f ms", h.getMaxValue() / 1000.0);
  }
}
