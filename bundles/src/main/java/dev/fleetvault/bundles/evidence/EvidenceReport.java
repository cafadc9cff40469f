package dev.fleetvault.bundles.evidence;

import java.util.List;

/**
 * The outcome of {@link EvidenceVerifier#verify}: one line per check, in order, and a verdict.
 *
 * @param checks every check made
 * @param evidenceDigest the package's digest (SHA-256 of its manifest), hex, or empty if the
 *     manifest was unreadable
 */
public record EvidenceReport(List<Check> checks, String evidenceDigest) {
  /** Outcome of one check. */
  public enum Status {
    /** Checked and good. */
    PASS,
    /** Checked and bad: the evidence is rejected. */
    FAIL,
    /** Worth knowing, not a rejection. */
    WARN
  }

  /**
   * One check.
   *
   * @param status outcome
   * @param what what was checked, e.g. {@code statement dc1: signature}
   * @param detail what was found
   */
  public record Check(Status status, String what, String detail) {
    @Override
    public String toString() {
      return String.format("%-4s %s: %s", status, what, detail);
    }
  }

  /** Copies. */
  public EvidenceReport {
    checks = List.copyOf(checks);
  }

  /** No check failed. */
  public boolean verified() {
    return checks.stream().noneMatch(c -> c.status() == Status.FAIL);
  }

  /** The failed checks. */
  public List<Check> failures() {
    return checks.stream().filter(c -> c.status() == Status.FAIL).toList();
  }

  /** One-line verdict. */
  public String verdict() {
    List<Check> f = failures();
    return f.isEmpty()
        ? "VERIFIED: " + checks.size() + " checks passed, evidence digest " + evidenceDigest
        : "REJECTED: "
            + f.size()
            + " of "
            + checks.size()
            + " checks failed (first: "
            + f.get(0).what()
            + ": "
            + f.get(0).detail()
            + ")";
  }
}
