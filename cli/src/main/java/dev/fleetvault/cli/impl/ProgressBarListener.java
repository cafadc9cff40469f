package dev.fleetvault.cli.impl;

import dev.fleetvault.loadgen.ProgressListener;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Draws the load generator's progress with a terminal progress bar (me.tongfei progressbar). */
public final class ProgressBarListener implements ProgressListener, AutoCloseable {
  private final PrintStream out;
  private ProgressBar bar;

  /** Draws on {@code out} (standard error, so the report on standard output stays clean). */
  public ProgressBarListener(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void phase(String name, long total, String unit) {
    close();
    bar =
        new ProgressBarBuilder()
            .setTaskName(name)
            .setInitialMax(total)
            .setUnit(" " + unit, 1)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250)
            .setConsumer(new ConsoleProgressBarConsumer(out))
            .build();
  }

  @Override
  public synchronized void progress(long done, String extra) {
    if (bar != null) {
      bar.stepTo(done);
      bar.setExtraMessage(extra);
    }
  }

  @Override
  public synchronized void phaseDone() {
    close();
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
