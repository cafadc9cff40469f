package dev.fleetvault.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FleetCpuTest {
  /** A node's /metrics as NodeMetrics exports it (trimmed): member tag on every meter. */
  private static String body(String member, long pid, long start, double cpuNanos) {
    return String.join(
        "\n",
        "# HELP fleetvault_process_info this node's process: pid and JVM start time (value 1)",
        "# TYPE fleetvault_process_info gauge",
        "fleetvault_process_info{member=\""
            + member
            + "\",pid=\""
            + pid
            + "\",start_millis=\""
            + start
            + "\"} 1.0",
        "# HELP process_cpu_time_ns_total The \"cpu time\" used by the Java Virtual Machine process",
        "# TYPE process_cpu_time_ns_total counter",
        "process_cpu_time_ns_total{member=\"" + member + "\"} " + cpuNanos,
        "process_cpu_usage{member=\"" + member + "\"} 0.25",
        "process_cpu_time_ns_total_extra{member=\"" + member + "\"} 99",
        "");
  }

  @Test
  void snapshot_membersInOneProcess_countedOnce() {
    FleetCpu.Snapshot s =
        FleetCpu.snapshot(
            List.of(
                body("dc1", 42, 1000, 5e9),
                body("dc2", 42, 1000, 5.2e9),
                body("dc3", 42, 1000, 5.1e9)));
    assertThat(s.cpuSecondsByProcess()).hasSize(1);
    // The same process read through three members: its highest (latest) reading counts, once.
    assertThat(s.cpuSecondsByProcess().get("42@1000")).isCloseTo(5.2, within(1e-9));
    assertThat(s.endpoints()).isEqualTo(3);
  }

  @Test
  void snapshot_samePidOtherStart_twoProcesses() {
    FleetCpu.Snapshot s =
        FleetCpu.snapshot(
            List.of(
                body("dc1", 42, 1000, 1e9),
                body("dc2", 42, 2000, 2e9),
                body("dc3", 43, 1000, 3e9)));
    assertThat(s.cpuSecondsByProcess()).containsOnlyKeys("42@1000", "42@2000", "43@1000");
  }

  @Test
  void between_separateProcesses_summed() {
    FleetCpu.Snapshot before =
        FleetCpu.snapshot(List.of(body("dc1", 1, 10, 1e9), body("dc2", 2, 10, 2e9)));
    FleetCpu.Snapshot after =
        FleetCpu.snapshot(List.of(body("dc1", 1, 10, 4e9), body("dc2", 2, 10, 2.5e9)));
    FleetCpu.Usage u = FleetCpu.between(before, after);
    assertThat(u.cpuSeconds()).isCloseTo(3.5, within(1e-9));
    assertThat(u.processes()).isEqualTo(2);
  }

  @Test
  void between_processRestarted_leftOut() {
    FleetCpu.Snapshot before =
        FleetCpu.snapshot(List.of(body("dc1", 1, 10, 9e9), body("dc2", 2, 10, 2e9)));
    FleetCpu.Snapshot after =
        FleetCpu.snapshot(List.of(body("dc1", 7, 20, 1e9), body("dc2", 2, 10, 3e9)));
    FleetCpu.Usage u = FleetCpu.between(before, after);
    assertThat(u.cpuSeconds()).isCloseTo(1.0, within(1e-9));
    assertThat(u.processes()).isEqualTo(1);
  }

  @Test
  void snapshot_nodeWithoutProcessInfo_refusedByName() {
    assertThatThrownBy(
            () -> FleetCpu.snapshot(List.of("process_cpu_time_ns_total{member=\"dc1\"} 1.0\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fleetvault_process_info");
  }

  @Test
  void samples_escapedLabelAndBadValue_parsedOrRefused() {
    List<PrometheusText.Sample> s =
        PrometheusText.samples("m{a=\"x\\\"y\",b=\"z\"} 2.5 1700000000\nm 3\n", "m");
    assertThat(s).hasSize(2);
    assertThat(s.get(0).labels()).containsEntry("a", "x\"y").containsEntry("b", "z");
    assertThat(s.get(0).value()).isEqualTo(2.5);
    assertThat(s.get(1).labels()).isEmpty();
    assertThatThrownBy(() -> PrometheusText.samples("m{a=\"x\"} nope\n", "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad value");
  }
}
