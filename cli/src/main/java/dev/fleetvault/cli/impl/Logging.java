package dev.fleetvault.cli.impl;

import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;

/** Log level tweaks for the long-running commands. */
public final class Logging {
  private Logging() {}

  /**
   * Shows Fleetvault's INFO messages (node start-up, edges) unless the logging configuration set a
   * level.
   */
  public static void showFleetvaultInfo() {
    if (LoggerFactory.getLogger("dev.fleetvault") instanceof ch.qos.logback.classic.Logger lb
        && lb.getLevel() == null) {
      lb.setLevel(Level.INFO);
    }
  }
}
