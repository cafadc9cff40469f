package dev.fleetvault.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LoadReportTest {
  private static Histogram latencies(long... micros) {
    Histogram h = new Histogram(60_000_000L, 3);
    for (long m : micros) {
      h.recordValue(m);
    }
    return h;
  }

  private static LoadGenerator.Phase phase(
      String name, int c, double rate, Histogram h, FleetCpu.Usage cpu) {
    return new LoadGenerator.Phase(
        name, c, rate, h.getTotalCount(), Map.of("Recovered", h.getTotalCount()), h, 10, cpu);
  }

  @Test
  void latencyGoal_ratio_p99AtHalfPeakOverUnloadedP50() {
    LoadGenerator.Phase unloaded =
        phase("unloaded", 1, 0, latencies(100_000, 100_000, 100_000), null);
    LoadGenerator.Phase peak = phase("peak", 8, 0, latencies(400_000, 500_000), null);
    long[] half = new long[100];
    java.util.Arrays.fill(half, 200_000);
    half[99] = 300_000;
    LoadGenerator.Phase halfPeak = phase("half peak", 8, 5.0, latencies(half), null);
    LoadReport.LatencyGoal goal = new LoadReport.LatencyGoal(unloaded, peak, halfPeak);
    // p99 of the half-peak phase (200 ms; its single 300 ms outlier is above p99) / unloaded p50
    // (100 ms)
    assertThat(goal.ratio()).isCloseTo(2.0, within(0.01));
    assertThat(new LoadReport.LatencyGoal(unloaded, peak, null).ratio()).isNaN();
  }

  @Test
  void cryptoEfficiency_ceilingOverFleetCpuPerRecovery() {
    CryptoCeiling.Result ceiling =
        new CryptoCeiling.Result(
            List.of(new CryptoCeiling.Step("x", "x", 12_000, 1)), 12_000, 2, 166);
    Histogram h = latencies(100_000);
    // 40 recoveries, 2.4 s of fleet CPU: 60 ms per recovery; 12 ms of crypto: 20 %
    LoadGenerator.Phase main =
        new LoadGenerator.Phase(
            "recover", 8, 0, 40, Map.of("Recovered", 40L), h, 10, new FleetCpu.Usage(2.4, 1, 3));
    LoadOptions o = new LoadOptions(20, 8, Duration.ofSeconds(10), 10, 3, 2);
    LoadReport r =
        new LoadReport(o, 20, h, 40, Map.of("Recovered", 40L), h, 10, ceiling, main, null);
    assertThat(r.fleetCpuMillisPerRecovery()).isCloseTo(60, within(1e-9));
    assertThat(r.cryptoEfficiency()).isCloseTo(0.2, within(1e-9));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    r.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("60.00 ms per recovery")
        .contains("crypto efficiency")
        .contains("20.0%");
    LoadReport noCpu = new LoadReport(o, 20, h, 40, Map.of(), h, 10, ceiling, null, null);
    assertThat(noCpu.cryptoEfficiency()).isNaN();
  }

  @Test
  void options_rateAndLatencyReport_checked() {
    assertThatThrownBy(() -> new LoadOptions(1, 1, Duration.ofSeconds(1), 1, 3, 2, 10, -1, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rate");
    assertThatThrownBy(() -> new LoadOptions(1, 1, Duration.ofSeconds(1), 1, 3, 2, 10, 5, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latency report");
    assertThat(new LoadOptions(1, 1, Duration.ofSeconds(1), 1, 3, 2, 10, 5, false).rate())
        .isEqualTo(5);
  }
}
