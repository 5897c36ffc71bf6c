package dev.mlops.bench;

import dev.mlops.core.monitor.QuantileSketch;
import dev.mlops.core.monitor.SketchLayout;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per recorded latency, one thread and two threads into the same shared recorder: the
 * monitor's {@link QuantileSketch} against what a service would record latencies with instead.
 *
 * <ul>
 *   <li>{@code quantileSketch}: {@link QuantileSketch#latencyNanos()} (1 ns .. 1 h, 0.78%), stripes
 *       growing with contention up to the default (the next power of two at or above the CPU count);
 *   <li>{@code quantileSketchOneStripe}: the same layout held to one stripe, the cost of sharing;
 *   <li>{@code hdrRecorder}: HdrHistogram's {@link Recorder}, 1 ns .. 1 h at 2 significant digits
 *       (1% resolution), the usual choice for latency recording across threads;
 *   <li>{@code micrometerTimer}: a Micrometer {@link Timer} on a {@link SimpleMeterRegistry} publishing
 *       p50, p90, p99 and p99.9 at percentile precision 2 (the same 1% class; its default is 1);
 *   <li>{@code baselineRead}: reading the next latency, the loop's floor.
 * </ul>
 *
 * <p>Each thread walks its own pre-generated lognormal latencies (median 2 ms, sigma 1, so values span
 * several octaves and threads rarely hit the same bucket twice in a row). Run with {@code -prof gc} for
 * {@code gc.alloc.rate.norm}: every recorder here should allocate 0 B/op.
 *
 * <pre>
 * java -jar mlops-bench/target/benchmarks.jar QuantileSketchBench -prof gc
 * java -jar mlops-bench/target/benchmarks.jar QuantileSketchBench -prof gc -f 1 -wi 2 -w 1 -i 3 -r 1
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(2)
public class QuantileSketchBench {
    private static final long ONE_HOUR_NANOS = 3_600_000_000_000L;

    /** The recorders, shared by every thread of a run. */
    @State(Scope.Benchmark)
    public static class Recorders {
        QuantileSketch sketch;
        QuantileSketch sketchOneStripe;
        Recorder recorder;
        SimpleMeterRegistry registry;
        Timer timer;

        /** Builds each recorder empty. */
        @Setup(Level.Trial)
        public void setUp() {
            sketch = QuantileSketch.latencyNanos();
            sketchOneStripe = QuantileSketch.of(SketchLayout.latencyNanos(), 1);
            recorder = new Recorder(ONE_HOUR_NANOS, 2);
            registry = new SimpleMeterRegistry();
            timer = Timer.builder("latency")
                    .publishPercentiles(0.5, 0.9, 0.99, 0.999)
                    .percentilePrecision(2)
                    .register(registry);
        }

        /** Checks that every recorder counted something, so that nothing was optimised away. */
        @TearDown(Level.Trial)
        public void tearDown() {
            long counted = sketch.snapshot().count() + sketchOneStripe.snapshot().count()
                    + recorder.getIntervalHistogram().getTotalCount() + timer.count();
            if (counted == 0) {
                throw new IllegalStateException("no recorder counted anything");
            }
            registry.close();
        }
    }

    /** One thread's latencies. */
    @State(Scope.Thread)
    public static class Latencies {
        private static final int SIZE = 1 << 14;
        private static final AtomicInteger SEEDS = new AtomicInteger(20_261_125);

        long[] values;
        int position;

        /** Draws this thread's latencies: lognormal, median 2 ms, sigma 1. */
        @Setup(Level.Trial)
        public void setUp() {
            Random random = new Random(SEEDS.getAndIncrement());
            values = new long[SIZE];
            for (int i = 0; i < SIZE; i++) {
                values[i] = Math.max(1, Math.round(2e6 * Math.exp(random.nextGaussian())));
            }
        }

        long next() {
            position = (position + 1) & (SIZE - 1);
            return values[position];
        }
    }

    /**
     * @param l this thread's latencies
     * @return the next latency: the floor under every other benchmark here
     */
    @Benchmark
    public long baselineRead(Latencies l) {
        return l.next();
    }

    /**
     * @param r the shared recorders
     * @param l this thread's latencies
     */
    @Benchmark
    @Threads(1)
    public void quantileSketch(Recorders r, Latencies l) {
        r.sketch.record(l.next());
    }

    /**
     * @param r the shared recorders
     * @param l this thread's latencies
     */
    @Benchmark
    @Threads(2)
    public void quantileSketch2Threads(Recorders r, Latencies l) {
        r.sketch.record(l.next());
    }

    /**
     * @param r the shared recorders
     * @param l this thread's latencies
     */
    @Benchmark
    @Threads(1)
    public void quantileSketchOneStripe(Recorders r, Latencies l) {
        r.sketchOneStripe.record(l.next());
    }

    /**
     * @param r the shared recorders
     * @param l this thread's latencies
     */
    @Benchmark
    @Threads(2)
    public void quantileSketchOneStripe2Threads(Recorders r, Latencies l) {
        r.sketchOneStripe.record(l.next());
    }

    /**
     * @param r the shared recorders
     * @param l this thread's latencies
     */
    @Benchmark
    @Threads(1)
    public void hdrRecorder(Recorders r, Latencies l) {
        r.recorder.recordValue(l.next());
    }

    /**
     * @param r the shared recorders
     * @param l this thread's latencies
     */
    @Benchmark
    @Threads(2)
    public void hdrRecorder2Threads(Recorders r, Latencies l) {
        r.recorder.recordValue(l.next());
    }

    /**
     * @param r the shared recorders
     * @param l this thread's latencies
     */
    @Benchmark
    @Threads(1)
    public void micrometerTimer(Recorders r, Latencies l) {
        r.timer.record(l.next(), TimeUnit.NANOSECONDS);
    }

    /**
     * @param r the shared recorders
     * @param l this thread's latencies
     */
    @Benchmark
    @Threads(2)
    public void micrometerTimer2Threads(Recorders r, Latencies l) {
        r.timer.record(l.next(), TimeUnit.NANOSECONDS);
    }
}
