package dev.mlops.core.monitor;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Holds one-shot scheduled tasks until the test runs them; their delays are only recorded. */
final class ManualScheduler extends ScheduledThreadPoolExecutor {
    final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> delaysMillis = new ConcurrentLinkedQueue<>();

    ManualScheduler() {
        super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        tasks.add(command);
        delaysMillis.add(unit.toMillis(delay));
        return super.schedule(() -> { }, 1, TimeUnit.DAYS);
    }

    void runPending() {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
        }
    }
}
