package dev.fleetvault.driver.tck;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.HsmDriver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one run of the suite shares: the driver under test, the capabilities it reported when
 * opened, and, for each absent capability, what was checked of its refusal (reported after the
 * run).
 */
public final class ContractState {

  private final HsmDriver driver;
  private final Set<Capability> capabilities;
  private final Map<Capability, Set<String>> absentChecks =
      Collections.synchronizedMap(new TreeMap<>());

  /** Records the driver and snapshots its capabilities. */
  public ContractState(HsmDriver driver) {
    this.driver = driver;
    this.capabilities = Set.copyOf(driver.capabilities());
  }

  /** The shared driver. */
  public HsmDriver driver() {
    return driver;
  }

  /** The capabilities the driver reported. */
  public Set<Capability> capabilities() {
    return capabilities;
  }

  /** Records what was checked for the absent capability {@code c}. */
  public void checkedAbsent(Capability c, String what) {
    absentChecks
        .computeIfAbsent(c, k -> Collections.synchronizedSet(new LinkedHashSet<>()))
        .add(what);
  }

  /** One line per absent capability, listing the refusals checked. */
  public List<String> absentSummary() {
    List<String> lines = new ArrayList<>();
    for (Capability c : Capability.values()) {
      if (!capabilities.contains(c)) {
        Set<String> checked = absentChecks.get(c);
        lines.add(
            "capability "
                + c
                + " absent: "
                + (checked == null
                    ? "no test of this run checked its refusal"
                    : "checked " + String.join("; ", checked)));
      }
    }
    return lines;
  }
}
