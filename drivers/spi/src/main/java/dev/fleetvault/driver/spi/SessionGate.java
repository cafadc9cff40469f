package dev.fleetvault.driver.spi;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds how many calls run against a device at once, for drivers. A caller that cannot get a
 * permit within the borrow timeout gets {@link HsmRetryableException} of kind {@link
 * HsmException.Kind#BUSY} (back-pressure) instead of queueing without bound; after {@link #close()}
 * callers get kind {@link HsmException.Kind#CLOSED}. Thread-safe.
 */
public final class SessionGate {

  private final String driverId;
  private final int permits;
  private final Duration borrowTimeout;
  private final Semaphore semaphore;
  private final AtomicInteger inUse = new AtomicInteger();
  private volatile boolean closed;

  /** A gate of {@code permits} (&ge; 1) concurrent calls with the given borrow timeout. */
  public SessionGate(String driverId, int permits, Duration borrowTimeout) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be >= 1");
    }
    this.driverId = driverId;
    this.permits = permits;
    this.borrowTimeout = borrowTimeout;
    this.semaphore = new Semaphore(permits, true);
  }

  /** One borrowed permit; closing it returns the permit. Close exactly once. */
  public final class Permit implements AutoCloseable {
    private boolean released;

    private Permit() {}

    @Override
    public void close() {
      if (!released) {
        released = true;
        inUse.decrementAndGet();
        semaphore.release();
      }
    }
  }

  /** Borrows a permit, waiting at most the borrow timeout. */
  public Permit acquire() throws HsmException {
    if (closed) {
      throw new HsmFatalException(HsmException.Kind.CLOSED, driverId + " driver is closed");
    }
    boolean ok;
    try {
      ok = semaphore.tryAcquire(borrowTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HsmRetryableException(
          HsmException.Kind.BUSY, driverId + ": interrupted while waiting for a session", e);
    }
    if (!ok) {
      throw new HsmRetryableException(
          HsmException.Kind.BUSY,
          driverId
              + ": no session free within "
              + borrowTimeout.toMillis()
              + " ms (all "
              + permits
              + " in use); retry later or raise max_sessions");
    }
    if (closed) {
      semaphore.release();
      throw new HsmFatalException(HsmException.Kind.CLOSED, driverId + " driver is closed");
    }
    inUse.incrementAndGet();
    return new Permit();
  }

  /** Number of permits. */
  public int permits() {
    return permits;
  }

  /** Permits currently borrowed. */
  public int inUse() {
    return inUse.get();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Refuses new borrowers and waits up to {@code drainTimeout} for borrowed permits to come back.
   * Returns whether all came back.
   */
  public boolean close(Duration drainTimeout) {
    closed = true;
    try {
      if (semaphore.tryAcquire(permits, drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        semaphore.release(permits);
        return true;
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
