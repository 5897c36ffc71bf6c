package dev.mlops.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a few calls at the same instant, round after round. A {@code CyclicBarrier} releases its
 * waiters one unpark at a time, tens of microseconds apart, long enough for a whole in-memory write;
 * here every racer spins on a shared counter until all have arrived, so they leave the gate within
 * nanoseconds of each other and, running the same code, reach a store's critical section together.
 * With two cores two racers really run at once; more racers than cores only queue.
 */
final class Race implements AutoCloseable {
    /** What one racer's call did: returned a value or threw. */
    record Outcome<T>(T value, Throwable error) {
        boolean succeeded() {
            return error == null;
        }

        boolean threw(Class<? extends Throwable> type) {
            return type.isInstance(error);
        }

        @Override
        public String toString() {
            return error == null ? "returned " + value : "threw " + error;
        }
    }

    private static final long GATE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private final ExecutorService pool;

    Race(int racers) {
        pool = Executors.newFixedThreadPool(racers, r -> {
            Thread t = new Thread(r, "contract-kit-racer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param calls the calls to start together, at most as many as racers
     * @return each call's outcome, in the order given
     */
    <T> List<Outcome<T>> round(List<Callable<T>> calls) throws Exception {
        int n = calls.size();
        AtomicInteger arrived = new AtomicInteger();
        List<Future<Outcome<T>>> futures = new ArrayList<>();
        for (Callable<T> call : calls) {
            futures.add(pool.submit(() -> {
                arrived.incrementAndGet();
                long deadline = System.nanoTime() + GATE_TIMEOUT_NANOS;
                while (arrived.get() < n) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("racers did not all reach the start gate");
                    }
                    Thread.onSpinWait();
                }
                try {
                    return new Outcome<>(call.call(), null);
                } catch (Exception | AssertionError e) {
                    return new Outcome<T>(null, e);
                }
            }));
        }
        List<Outcome<T>> out = new ArrayList<>();
        for (Future<Outcome<T>> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
