package dev.mlops.core.internal;

import dev.mlops.core.registry.ModelStoreEvent;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The events of one model, delivered in commit order but never under the model's lock: a writer adds
 * its event while it holds the lock and calls {@link #deliver} after releasing it. One thread at a time
 * delivers; a writer that finds another thread delivering leaves its event to that thread, which
 * checks the queue again after letting go, so no event is stranded. Listeners may therefore read or
 * write any model, this one included, without deadlock.
 *
 * <p>The guard is not reentrant: when a listener writes to the model whose event it is handling, the
 * nested delivery finds the guard taken and returns, so the listener's own event waits its turn behind
 * the current one, which every listener sees first. (A reentrant lock would let the nested call
 * deliver the new event in the middle of the current one, out of commit order.)
 */
public final class EventQueue {
    private final ConcurrentLinkedQueue<ModelStoreEvent> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean delivering = new AtomicBoolean();

    /**
     * @param event a committed change; call while holding the lock that orders the model's commits
     */
    public void add(ModelStoreEvent event) {
        pending.add(event);
    }

    /**
     * Delivers on an executor: the writer only hands the queue over, whatever other threads write
     * meanwhile; one drain task at a time runs per queue, so order is kept.
     *
     * @param listeners who to tell
     * @param executor runs the delivery
     */
    public void deliver(Listeners listeners, java.util.concurrent.Executor executor) {
        if (!pending.isEmpty() && delivering.compareAndSet(false, true)) {
            executor.execute(() -> drainThenHandBack(listeners, executor));
        }
    }

    private void drainThenHandBack(Listeners listeners, java.util.concurrent.Executor executor) {
        try {
            for (ModelStoreEvent e = pending.poll(); e != null; e = pending.poll()) {
                listeners.fire(e);
            }
        } finally {
            delivering.set(false);
        }
        // an event added after the last poll but before the guard was let go would be stranded otherwise
        deliver(listeners, executor);
    }

    /**
     * Delivers every queued event, in order, unless another thread is doing so. Without an executor the
     * delivering writer also delivers what other threads commit meanwhile, until the queue is empty;
     * a store handed an executor delivers there instead, and no writer waits for listeners.
     *
     * @param listeners who to tell
     */
    public void deliver(Listeners listeners) {
        while (!pending.isEmpty()) {
            if (!delivering.compareAndSet(false, true)) {
                return;
            }
            try {
                for (ModelStoreEvent e = pending.poll(); e != null; e = pending.poll()) {
                    listeners.fire(e);
                }
            } finally {
                delivering.set(false);
            }
        }
    }
}
