package dev.fleetvault.protocol.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects vector results: each vector is labelled {@code testcase %d (%s)}, failures are collected
 * (one bad vector does not hide the others) and asserted once at the end, and the number of vectors
 * checked is printed.
 */
public final class VectorReport {
  /** A check that may throw. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  private final String name;
  private final List<String> failures = new ArrayList<>();
  private int checked;
  private int skippedByDesign;

  public VectorReport(String name) {
    this.name = name;
  }

  /** The standard label. */
  public static String label(long id, String comment) {
    return String.format("testcase %d (%s)", id, comment);
  }

  /** Runs one vector; an exception or AssertionError is recorded as a failure of that vector. */
  public void check(String label, Check check) {
    checked++;
    try {
      check.run();
    } catch (AssertionError | Exception e) {
      failures.add(label + ": " + e);
    }
  }

  /** Records a failure unless {@code ok}. */
  public void expect(boolean ok, String label, Supplier<String> detail) {
    if (!ok) {
      failures.add(label + ": " + detail.get());
    }
  }

  /** Counts a vector deliberately not run (e.g. an unsupported mode), with the reason printed. */
  public void skipByDesign(String label, String reason) {
    skippedByDesign++;
    if (skippedByDesign <= 3) {
      System.out.println(name + ": skipped by design: " + label + " -- " + reason);
    }
  }

  public int checked() {
    return checked;
  }

  /** Prints the count and asserts that no vector failed. */
  public void assertAllPassed() {
    System.out.printf(
        "%s: %d vectors checked, %d failed, %d skipped by design%n",
        name, checked, failures.size(), skippedByDesign);
    assertTrue(checked > 0, name + ": no vectors were checked");
    assertTrue(
        failures.isEmpty(),
        name
            + ": "
            + failures.size()
            + " of "
            + checked
            + " vectors failed:\n"
            + String.join("\n", failures.subList(0, Math.min(50, failures.size()))));
  }
}
