package dev.fleetvault.loadgen;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one load run: counts, throughput, latency percentiles (microseconds) and the crypto ceiling.
 *
 * @param options          what was run
 * @param registered       users registered successfully
 * @param registerLatency  latency of the registrations
 * @param recovered        recoveries that returned the right secret byte for byte
 * @param outcomes         every recovery outcome by name (Recovered, WrongPin, Unavailable, error:…)
 * @param recoverLatency   latency of the successful recoveries
 * @param recoverSeconds   length of the timed phase as measured
 * @param ceiling          the crypto ceiling measured in the same process
 */
public record LoadReport(
    LoadOptions options,
    long registered,
    Histogram registerLatency,
    long recovered,
    Map<String, Long> outcomes,
    Histogram recoverLatency,
    double recoverSeconds,
    CryptoCeiling.Result ceiling) {

    /** Successful recoveries per second in the timed phase. */
    public double throughput() {
        return recoverSeconds <= 0 ? 0 : recovered / recoverSeconds;
    }

    /** Measured throughput divided by the crypto ceiling. */
    public double ratio() {
        return ceiling == null || ceiling.recoveriesPerSecond() <= 0 ? 0 : throughput() / ceiling.recoveriesPerSecond();
    }

    /** Prints the report in the form the README and the closing note quote. */
    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "fleetvault bench: %d users, concurrency %d, %d s, %d members, %d cores%n",
            options.users(), options.concurrency(), options.duration().toSeconds(), options.fleetMembers(), options.cores());
        out.printf(Locale.ROOT, "register:   %d ok   p50 %s  p90 %s  p99 %s  max %s%n", registered,
            ms(registerLatency, 50), ms(registerLatency, 90), ms(registerLatency, 99), max(registerLatency));
        out.printf(Locale.ROOT, "recover:    %d ok in %.1f s = %.1f recoveries/s%n", recovered, recoverSeconds, throughput());
        out.printf(Locale.ROOT, "latency:    p50 %s  p90 %s  p99 %s  max %s%n",
            ms(recoverLatency, 50), ms(recoverLatency, 90), ms(recoverLatency, 99), max(recoverLatency));
        out.printf(Locale.ROOT, "outcomes:   %s%n", outcomes);
        if (ceiling != null) {
            out.println("crypto ceiling (server-side steps, single-thread cost x count per recovery):");
            for (CryptoCeiling.Step s : ceiling.steps()) {
                out.printf(Locale.ROOT, "  %-12s %8.1f us x %5.1f = %8.1f us  %s%n",
                    s.name(), s.micros(), s.perRecovery(), s.microsPerRecovery(), s.what());
            }
            out.printf(Locale.ROOT, "  total        %.1f us of server crypto per recovery; %d cores => ceiling %.1f recoveries/s%n",
                ceiling.microsPerRecovery(), ceiling.cores(), ceiling.recoveriesPerSecond());
            out.printf(Locale.ROOT, "ratio:      measured / ceiling = %.3f (%.1f%%)%n", ratio(), ratio() * 100);
        }
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static String max(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", h.getMaxValue() / 1000.0);
    }
}
