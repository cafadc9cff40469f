package dev.fleetvault.gateway.impl;

import org.jgroups.logging.CustomLogFactory;
import org.jgroups.logging.Log;
import org.jgroups.logging.LogFactory;
import org.jgroups.logging.Slf4jLogImpl;

/**
 * JGroups and jgroups-raft logging through SLF4J, formatting a message only when its level is
 * enabled.
 *
 * <p>JGroups' own {@link Slf4jLogImpl} runs {@code String.format} on every {@code
 * trace/debug(format, args)} call before SLF4J drops it, and jgroups-raft calls {@code
 * log.trace("%s: received %s", ...)} for every Raft message without a level guard: under load that
 * formatting (and the {@code toString} of every AppendEntries request and response) cost the node
 * more CPU than the ledger's own work. This factory hands JGroups the same SLF4J loggers with the
 * level checked first; the output, when a level is enabled, is unchanged.
 *
 * <h2>Guarantees</h2>
 *
 * {@link #install()} is idempotent and keeps a factory someone else installed. Loggers JGroups
 * created before it (protocols of channels already built) keep JGroups' default.
 */
public final class JGroupsLogs {
  private JGroupsLogs() {}

  /**
   * Installs the level-checking factory unless SLF4J is absent or another custom factory is set.
   */
  public static synchronized void install() {
    if (LogFactory.getCustomLogFactory() != null
        || !LogFactory.IS_SLF4J_AVAILABLE
        || LogFactory.useJdkLogger()) {
      return;
    }
    LogFactory.setCustomLogFactory(
        new CustomLogFactory() {
          @Override
          public Log getLog(Class<?> clazz) {
            return new Checked(clazz.getName());
          }

          @Override
          public Log getLog(String category) {
            return new Checked(category);
          }
        });
  }

  /** {@link Slf4jLogImpl} whose formatting calls check the level before formatting. */
  static final class Checked extends Slf4jLogImpl {
    Checked(String category) {
      super(category);
    }

    @Override
    public void trace(String format, Object... args) {
      if (isTraceEnabled()) {
        super.trace(format, args);
      }
    }

    @Override
    public void trace(Object msg) {
      if (isTraceEnabled()) {
        super.trace(msg);
      }
    }

    @Override
    public void debug(String format, Object... args) {
      if (isDebugEnabled()) {
        super.debug(format, args);
      }
    }

    @Override
    public void info(String format, Object... args) {
      if (isInfoEnabled()) {
        super.info(format, args);
      }
    }

    @Override
    public void warn(String format, Object... args) {
      if (isWarnEnabled()) {
        super.warn(format, args);
      }
    }

    @Override
    public void error(String format, Object... args) {
      if (isErrorEnabled()) {
        super.error(format, args);
      }
    }

    @Override
    public void fatal(String format, Object... args) {
      if (isFatalEnabled()) {
        super.fatal(format, args);
      }
    }
  }
}
