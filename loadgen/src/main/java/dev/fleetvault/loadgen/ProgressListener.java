package dev.fleetvault.loadgen;

/**
 * Receives progress of a load run (the CLI draws a progress bar from it). Called from worker
 * threads, possibly concurrently; implementations must be thread-safe and fast.
 */
public interface ProgressListener {
  /** A listener that ignores everything. */
  ProgressListener NONE =
      new ProgressListener() {
        @Override
        public void phase(String name, long total, String unit) {}

        @Override
        public void progress(long done, String extra) {}

        @Override
        public void phaseDone() {}
      };

  /** A new phase begins with {@code total} units of work ({@code unit}: "users", "s"). */
  void phase(String name, long total, String unit);

  /** {@code done} units of the current phase are finished; {@code extra} is a short status line. */
  void progress(long done, String extra);

  /** The current phase ended. */
  void phaseDone();
}
