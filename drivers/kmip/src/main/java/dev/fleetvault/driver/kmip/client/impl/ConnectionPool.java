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

    public ConnectionPool(KmipClientConfig config) {
        this.config = config;
        this.permits = new Semaphore(config.maxConnections(), true);
    }

    /** Borrows an idle connection or opens a new one; {@link #release} must follow. */
    public KmipConnection borrow(Operation op) throws KmipException {
        checkOpen(op);
        try {
            if (!permits.tryAcquire(config.borrowTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new KmipException(KmipException.Kind.BUSY, op, "all " + config.maxConnections()
                        + " KMIP connections stayed busy for " + config.borrowTimeout().toMillis() + " ms", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KmipException(KmipException.Kind.BUSY, op, "interrupted while waiting for a KMIP connection", e);
        }
        try {
            KmipConnection c;
            synchronized (this) {
                if (closed) {
                    throw new KmipException(KmipException.Kind.CLOSED, op, "KMIP client is closed", null);
                }
                c = idle.pollFirst();
            }
            return c != null ? c : KmipConnection.open(config);
        } catch (KmipException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Opens a fresh connection in place of a borrowed one that failed (the permit stays held). */
    public KmipConnection replace(KmipConnection failed, Operation op) throws KmipException {
        failed.close();
        checkOpen(op);
        return KmipConnection.open(config);
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
            c.close();
        }
        permits.release();
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
        toClose.forEach(KmipConnection::close);
    }
}
