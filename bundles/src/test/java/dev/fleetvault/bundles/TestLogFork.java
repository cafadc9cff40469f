package dev.fleetvault.bundles;

/**
 * A fork of a {@link TestLog}: same keys, the first {@code keep} entries, then a different history.
 */
final class TestLogFork {
  final TestLog log;

  TestLogFork(TestLog original, int keep) {
    this.log = original.forkKeeping(keep);
  }

  Bundle publish(FleetArtifact a) {
    return log.publish(a);
  }
}
