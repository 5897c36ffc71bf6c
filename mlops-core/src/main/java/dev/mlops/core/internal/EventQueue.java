package dev.mlops.core.internal;

import dev.mlops.core.registry.ModelStoreEvent;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The events of one model, delivered in commit order but never under the model's lock: a writer adds
 * its event while it holds the lock and calls {@link #deliver} after releasing it. One thread at a time
 * delivers; a writer that finds another thread delivering leaves its event to that thread, which
 * checks the queue again after letting go, so no event is stranded. Listeners may therefore read or
 * write any model, this one included, without deadlock.
 */
public final class EventQueue {
    private final ConcurrentLinkedQueue<ModelStoreEvent> pending = new ConcurrentLinkedQueue<>();
    private final ReentrantLock delivering = new ReentrantLock();

    /**
     * @param event a committed change; call while holding the lock that orders the model's commits
     */
    public void add(ModelStoreEvent event) {
        pending.add(event);
    }

    /**
     * Delivers every queued event, in order, unless another thread is doing so.
     *
     * @param listeners who to tell
     */
    public void deliver(Listeners listeners) {
        while (!pending.isEmpty()) {
            if (!delivering.tryLock()) {
                return;
            }
            try {
                for (ModelStoreEvent e = pending.poll(); e != null; e = pending.poll()) {
                    listeners.fire(e);
                }
            } finally {
                delivering.unlock();
            }
        }
    }
}
