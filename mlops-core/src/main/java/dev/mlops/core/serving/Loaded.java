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
 * <p>Why the count cannot miss a request: retiring adds {@link #RETIRED}, a bit above any count, to
 * every cell, each with one atomic add, then reads every cell. A request adds 1 to its cell and learns
 * from the same atomic add whether the bit was there; all changes of one cell are totally ordered. So a
 * request either sees the bit (and backs off) or counted in before it was set, and then its own
 * decrement sees the bit and makes it check every cell again. A cell that reads exactly {@link #RETIRED}
 * holds no request, so a check that reads every cell so after retirement proves that every request that
 * started before it has ended. One atomic add in and one out is all a request costs.
 *
 * @param <M> the model type
 */
final class Loaded<M> {
    /** Longs between two cells: 128 bytes, so that cells of different threads never share a cache line. */
    private static final int STRIDE = 16;
    private static final int CELLS = cellCount();

    final M model;
    final ModelVersion version;
    /** Set in every cell when the version is retired: far above any count of requests in flight. */
    private static final long RETIRED = 1L << 62;

    private final AtomicLongArray cells = new AtomicLongArray(CELLS * STRIDE);
    private final AtomicBoolean retired = new AtomicBoolean();
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
        if ((cells.getAndIncrement(cell * STRIDE) & RETIRED) == 0) {
            return true;
        }
        exit(cell);
        return false;
    }

    /** Counts a request out; the last one out of a retired version releases it. */
    void exit(int cell) {
        if ((cells.getAndDecrement(cell * STRIDE) & RETIRED) != 0) {
            tryRelease();
        }
    }

    /** No new request may enter; released now if none is in flight, else when the last one ends. */
    void retire() {
        if (!retired.compareAndSet(false, true)) {
            return;
        }
        for (int i = 0; i < CELLS; i++) {
            cells.getAndAdd(i * STRIDE, RETIRED);
        }
        tryRelease();
    }

    boolean isReleased() {
        return released.get();
    }

    private void tryRelease() {
        for (int i = 0; i < CELLS; i++) {
            if (cells.get(i * STRIDE) != RETIRED) {
                return;
            }
        }
        if (released.compareAndSet(false, true)) {
            release.accept(this);
        }
    }
}
