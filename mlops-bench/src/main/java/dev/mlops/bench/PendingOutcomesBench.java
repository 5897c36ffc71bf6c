package dev.mlops.bench;

import dev.mlops.core.monitor.OutcomeCounts;
import dev.mlops.core.monitor.OutcomeStatus;
import dev.mlops.core.monitor.PendingOutcomes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per prediction offered to the monitor's ground-truth join, one thread and two threads
 * into the same store, against what a service would write instead.
 *
 * <ul>
 *   <li>{@code offer}: {@link PendingOutcomes#offer} of scrambled ids (as random or hashed request ids
 *       are) into a store of 2^14 or 2^20 slots whose TTL keeps about
 *       a quarter of them live per offering thread (each offer advances the thread's fake clock by
 *       100 ns); in steady state every offer reuses an expired slot and counts it;
 *   <li>{@code offerThenTake}: the same offer, then the outcome of the prediction offered 1,000 offers
 *       earlier, joined (the full round trip of a labelled prediction);
 *   <li>{@code concurrentHashMap}: a {@link ConcurrentHashMap} from boxed id to a small record, bounded
 *       by removing the id offered a TTL's worth of offers earlier: the usual hand-written join, which
 *       allocates a {@code Long}, the record and a map node per prediction.
 * </ul>
 *
 * <p>Run with {@code -prof gc}: {@code gc.alloc.rate.norm} must be about 0 B/op for the first two.
 *
 * <pre>
 * java -jar mlops-bench/target/benchmarks.jar PendingOutcomesBench -prof gc
 * java -jar mlops-bench/target/benchmarks.jar PendingOutcomesBench -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(2)
public class PendingOutcomesBench {
    private static final long TICK_NANOS = 100;
    private static final long JOIN_LAG = 1_000;

    /**
     * Prediction ids as services make them (random, or hashed from a request id): a bijective scramble
     * of a per-thread sequence. Sequential ids would flatter the map, whose hash keeps them in
     * consecutive buckets.
     */
    static long idOf(long sequence) {
        long h = sequence * 0x9e3779b97f4a7c15L;
        h ^= h >>> 32;
        return h * 0xd6e8feb86659fd93L;
    }

    /** What the hand-written baseline keeps per prediction. */
    record Pending(long windowId, double score, long offeredAtNanos) {
    }

    /** The stores, shared by every thread of a run. */
    @State(Scope.Benchmark)
    public static class Stores {
        /** Slots: 2^14 (640 KiB, in the caches) or 2^20 (40 MiB, each offer a cache and TLB miss). */
        @Param({"16384", "1048576"})
        public int slots;

        PendingOutcomes pending;
        ConcurrentHashMap<Long, Pending> map;
        long livePerThread;

        /** Builds each store empty. */
        @Setup(Level.Trial)
        public void setUp() {
            livePerThread = slots / 4;
            pending = PendingOutcomes.of(slots, livePerThread * TICK_NANOS);
            map = new ConcurrentHashMap<>(2 * slots);
        }

        /** Checks that the stores saw the offers, so that nothing was optimised away. */
        @TearDown(Level.Trial)
        public void tearDown() {
            OutcomeCounts counts = pending.counts();
            if (counts.offered() == 0 && map.isEmpty()) {
                throw new IllegalStateException("no store was offered anything");
            }
        }
    }

    /** One thread's ids and fake clock. */
    @State(Scope.Thread)
    public static class Feed {
        private static final AtomicInteger THREADS = new AtomicInteger();

        long base;
        long sequence;
        final PendingOutcomes.Joined joined = new PendingOutcomes.Joined();

        /** Gives the thread its own id range. */
        @Setup(Level.Trial)
        public void setUp() {
            base = (long) THREADS.getAndIncrement() << 40;
        }

        long nextId() {
            return idOf(base + ++sequence);
        }

        /** @return the id offered {@code back} offers before the latest */
        long earlierId(long back) {
            return idOf(base + sequence - back);
        }

        long now() {
            return sequence * TICK_NANOS;
        }
    }

    /**
     * @param s the shared stores
     * @param f this thread's ids and clock
     */
    @Benchmark
    @Threads(1)
    public void offer(Stores s, Feed f) {
        long id = f.nextId();
        s.pending.offer(id, id >>> 10, 0.5, f.now());
    }

    /**
     * @param s the shared stores
     * @param f this thread's ids and clock
     */
    @Benchmark
    @Threads(2)
    public void offer2Threads(Stores s, Feed f) {
        long id = f.nextId();
        s.pending.offer(id, id >>> 10, 0.5, f.now());
    }

    /**
     * @param s the shared stores
     * @param f this thread's ids and clock
     * @return the outcome's status
     */
    @Benchmark
    @Threads(1)
    public OutcomeStatus offerThenTake(Stores s, Feed f) {
        long id = f.nextId();
        long now = f.now();
        s.pending.offer(id, id >>> 10, 0.5, now);
        return s.pending.take(f.earlierId(JOIN_LAG), now, f.joined);
    }

    /**
     * @param s the shared stores
     * @param f this thread's ids and clock
     * @return the entry removed to keep the map bounded, if any
     */
    @Benchmark
    @Threads(1)
    public Pending concurrentHashMap(Stores s, Feed f) {
        long id = f.nextId();
        s.map.put(id, new Pending(id >>> 10, 0.5, f.now()));
        return s.map.remove(f.earlierId(s.livePerThread));
    }

    /**
     * @param s the shared stores
     * @param f this thread's ids and clock
     * @return the entry removed to keep the map bounded, if any
     */
    @Benchmark
    @Threads(2)
    public Pending concurrentHashMap2Threads(Stores s, Feed f) {
        long id = f.nextId();
        s.map.put(id, new Pending(id >>> 10, 0.5, f.now()));
        return s.map.remove(f.earlierId(s.livePerThread));
    }
}
