package dev.mlops.core.serving;

import dev.mlops.core.registry.ModelVersion;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * One loaded version and the requests using it, counted in striped cells so that requests on different
 * threads do not contend on one counter. Once retired (no longer served nor kept for rollback), it is
 * released exactly once, by whichever thread sees the last request end.
 *
 * <p>Why the count cannot miss a request: a request increments its cell, then reads {@code retired};
 * retiring writes {@code retired}, then reads every cell. Both are volatile accesses, totally ordered, so
 * either the request sees {@code retired} (and backs off) or the release scan sees its increment. A
 * request that has ended decremented its own cell, so a scan that reads every cell as 0 after retirement
 * proves that every request that started before it has ended; a request that backs off only adds 1 and
 * then removes it, and rescans when it does.
 *
 * @param <M> the model type
 */
final class Loaded<M> {
    /** Longs between two cells: 128 bytes, so that cells of different threads never share a cache line. */
    private static final int STRIDE = 16;
    private static final int CELLS = cellCount();

    final M model;
    final ModelVersion version;
    private final AtomicLongArray cells = new AtomicLongArray(CELLS * STRIDE);
    private volatile boolean retired;
    private final AtomicBoolean released = new AtomicBoolean();
    private final Consumer<Loaded<M>> release;

    /**
     * @param release closes the model and reports it; called once, after retirement and the last request
     */
    Loaded(M model, ModelVersion version, Consumer<Loaded<M>> release) {
        this.model = model;
        this.version = version;
        this.release = release;
    }

    private static int cellCount() {
        int wanted = Math.min(64, 2 * Runtime.getRuntime().availableProcessors());
        int n = 4;
        while (n < wanted) {
            n <<= 1;
        }
        return n;
    }

    /** @return this thread's cell: the same on every call from one thread */
    static int cell() {
        long h = Thread.currentThread().getId() * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & (CELLS - 1);
    }

    /**
     * Counts a request in, unless this version is retired.
     *
     * @return whether the request may use this version; when false, it must read the served one again
     */
    boolean enter(int cell) {
        cells.getAndIncrement(cell * STRIDE);
        if (!retired) {
            return true;
        }
        exit(cell);
        return false;
    }

    /** Counts a request out; the last one out of a retired version releases it. */
    void exit(int cell) {
        cells.getAndDecrement(cell * STRIDE);
        if (retired) {
            tryRelease();
        }
    }

    /** No new request may enter; released now if none is in flight, else when the last one ends. */
    void retire() {
        retired = true;
        tryRelease();
    }

    boolean isReleased() {
        return released.get();
    }

    private void tryRelease() {
        for (int i = 0; i < CELLS; i++) {
            if (cells.get(i * STRIDE) != 0) {
                return;
            }
        }
        if (released.compareAndSet(false, true)) {
            release.accept(this);
        }
    }
}
