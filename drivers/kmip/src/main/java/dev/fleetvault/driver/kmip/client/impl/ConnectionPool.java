package dev.fleetvault.driver.kmip.client.impl;

import dev.fleetvault.driver.kmip.client.KmipClientConfig;
import dev.fleetvault.driver.kmip.client.KmipException;
import dev.fleetvault.driver.kmip.ttlv.KmipEnums.Operation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A bounded pool of {@link KmipConnection}s: at most {@code maxConnections} exist at once;
 * borrowing waits at most the borrow timeout and then fails with {@link KmipException.Kind#BUSY}.
 * Broken connections are closed, never returned to the idle list. Thread-safe.
 */
public final class ConnectionPool implements AutoCloseable {
  private final KmipClientConfig config;
  private final Semaphore permits;
  private final Deque<KmipConnection> idle = new ArrayDeque<>();
  private boolean closed;
  private final java.util.concurrent.atomic.AtomicInteger open =
      new java.util.concurrent.atomic.AtomicInteger();

  public ConnectionPool(KmipClientConfig config) {
    this.config = config;
    this.permits = new Semaphore(config.maxConnections(), true);
  }

  /** Borrows an idle connection or opens a new one; {@link #release} must follow. */
  public KmipConnection borrow(Operation op) throws KmipException {
    checkOpen(op);
    try {
      if (!permits.tryAcquire(config.borrowTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
        throw new KmipException(
            KmipException.Kind.BUSY,
            op,
            "all "
                + config.maxConnections()
                + " KMIP connections stayed busy for "
                + config.borrowTimeout().toMillis()
                + " ms",
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KmipException(
          KmipException.Kind.BUSY, op, "interrupted while waiting for a KMIP connection", e);
    }
    try {
      KmipConnection c;
      synchronized (this) {
        if (closed) {
          throw new KmipException(KmipException.Kind.CLOSED, op, "KMIP client is closed", null);
        }
        c = idle.pollFirst();
      }
      return c != null ? c : opened(KmipConnection.open(config));
    } catch (KmipException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /**
   * Closes a borrowed connection that failed and opens a fresh one under the same permit. If
   * opening fails the permit is released and the caller must not call {@link #release}.
   */
  public KmipConnection replace(KmipConnection failed, Operation op) throws KmipException {
    closeOne(failed);
    try {
      checkOpen(op);
      return opened(KmipConnection.open(config));
    } catch (KmipException e) {
      permits.release(); // the caller has nothing left to release
      throw e;
    }
  }

  /** Returns a borrowed connection; broken ones are closed. */
  public void release(KmipConnection c) {
    boolean keep;
    synchronized (this) {
      keep = !closed && !c.isBroken();
      if (keep) {
        idle.addFirst(c);
      }
    }
    if (!keep) {
      closeOne(c);
    }
    permits.release();
  }

  private KmipConnection opened(KmipConnection c) {
    open.incrementAndGet();
    return c;
  }

  private void closeOne(KmipConnection c) {
    c.close();
    open.decrementAndGet();
  }

  /** Connections currently open (idle or borrowed). */
  public int openConnections() {
    return open.get();
  }

  private synchronized void checkOpen(Operation op) throws KmipException {
    if (closed) {
      throw new KmipException(KmipException.Kind.CLOSED, op, "KMIP client is closed", null);
    }
  }

  /** Closes idle connections and refuses further borrowing; borrowed ones close on release. */
  @Override
  public void close() {
    Deque<KmipConnection> toClose;
    synchronized (this) {
      closed = true;
      toClose = new ArrayDeque<>(idle);
      idle.clear();
    }
    toClose.forEach(this::closeOne);
  }
}
