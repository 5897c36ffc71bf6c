package dev.mlops.bench;

import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.monitor.FeatureSchema;
import dev.mlops.core.monitor.InMemoryMonitor;
import dev.mlops.core.monitor.Monitor;
import dev.mlops.core.monitor.MonitorSnapshot;
import dev.mlops.drift.DatasetDrift;
import dev.mlops.drift.MonitorDrift;
import dev.mlops.drift.StatTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * Nanoseconds per recorded prediction: {@link InMemoryMonitor} against what a service would record
 * the same prediction with instead.
 *
 * <ul>
 *   <li>{@code monitorRecord}: a full record (latency, score, 10 numeric and 2 categorical features)
 *       into a monitor with 5-minute windows on the system clock, reading the clock on every record;
 *       {@code monitorRecordScheduled}: the same into a monitor whose windows are closed by a scheduler
 *       ({@code closeWindowsWith}), so recording reads no clock; {@code monitorRecordScheduled2Threads}:
 *       two threads into that monitor (throughput scales when {@code 2 × t1 / t2} approaches 2);
 *       {@code monitorRecordScheduledDrift}: the same into a scheduled monitor that tests drift per window
 *       ({@code MonitorDrift}): each record also counts two features on reference bins (a binary search)
 *       and offers all ten numeric features to their reservoirs of 2,000 (Algorithm L);
 *   <li>{@code micrometerRecord}: the same prediction into Micrometer on a {@link SimpleMeterRegistry}:
 *       a {@link Timer} publishing p50, p90, p99, p99.9 at percentile precision 2 for the latency, a
 *       {@link DistributionSummary} per numeric feature and for the score, a {@link Counter} per
 *       category value, all registered up front;
 *   <li>{@code monitorLatencyOnly} and {@code monitorLatencyOnlyScheduled}: {@code recordLatency} (a
 *       prediction counted with its latency, nothing else) into a monitor with no features, against
 *       {@code hdrRecorder}, HdrHistogram's {@link Recorder} (1 ns .. 1 h, 2 significant digits), which
 *       reads no clock either;
 *   <li>{@code readClock}: {@code InstantSource.system().millis()}, what reading the clock costs here;
 *   <li>{@code monitorSnapshot}: {@link InMemoryMonitor#snapshot()} of a window holding 100,000 records
 *       with the 12 features;
 *   <li>{@code baselineRead}: reading the next row, the loop's floor.
 * </ul>
 *
 * <p>Run with {@code -prof gc}: the recording benchmarks should show {@code gc.alloc.rate.norm} of
 * about 0 B/op (a window closing every 5 minutes allocates its snapshot, amortised to ~0).
 *
 * <pre>
 * java -jar mlops-bench/target/benchmarks.jar InMemoryMonitorBench -prof gc
 * java -jar mlops-bench/target/benchmarks.jar InMemoryMonitorBench -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(2)
public class InMemoryMonitorBench {
    static final int NUMERIC = 10;
    static final String[] CATEGORIES = {"a", "b", "c", "d", "e"};
    private static final long ONE_HOUR_NANOS = 3_600_000_000_000L;

    static FeatureSchema schema() {
        FeatureSchema.Builder b = FeatureSchema.builder();
        for (int i = 0; i < NUMERIC; i++) {
            b.numeric("f" + i, -10, 10);
        }
        return b.categorical("c0", CATEGORIES).categorical("c1", CATEGORIES).build();
    }

    /** The recorders, shared by every thread of a run. */
    @State(Scope.Benchmark)
    public static class Recorders {
        ScheduledExecutorService scheduler;
        InMemoryMonitor monitor;
        InMemoryMonitor scheduled;
        InMemoryMonitor scheduledWithOutcomes;
        InMemoryMonitor scheduledDrift;
        InMemoryMonitor latencyOnly;
        InMemoryMonitor latencyOnlyScheduled;
        Recorder recorder;
        SimpleMeterRegistry registry;
        Timer timer;
        DistributionSummary score;
        DistributionSummary[] numeric;
        Counter[][] categories;

        /** Builds each recorder empty; Micrometer's meters are registered here, not on the hot path. */
        @Setup(Level.Trial)
        public void setUp() {
            monitor = Monitor.builder(schema()).window(Duration.ofMinutes(5)).build();
            latencyOnly = Monitor.builder(FeatureSchema.none()).window(Duration.ofMinutes(5)).build();
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "window-closer");
                t.setDaemon(true);
                return t;
            });
            scheduled = Monitor.builder(schema()).window(Duration.ofMinutes(5)).closeWindowsWith(scheduler).build();
            latencyOnlyScheduled = Monitor.builder(FeatureSchema.none()).window(Duration.ofMinutes(5))
                    .closeWindowsWith(scheduler).build();
            scheduledWithOutcomes = Monitor.builder(schema()).window(Duration.ofMinutes(5)).closeWindowsWith(scheduler)
                    .binaryClassifier().build();
            scheduledDrift = Monitor.builder(schema()).window(Duration.ofMinutes(5)).closeWindowsWith(scheduler)
                    .drift(MonitorDrift.of(DatasetDrift.builder(reference()).test("f0", StatTest.PSI)
                            .referenceBins("f0").test("f1", StatTest.JENSEN_SHANNON).referenceBins("f1").build(),
                            MonitorDrift.DEFAULT_SAMPLE_SIZE)).build();
            recorder = new Recorder(ONE_HOUR_NANOS, 2);
            registry = new SimpleMeterRegistry();
            timer = Timer.builder("latency").publishPercentiles(0.5, 0.9, 0.99, 0.999).percentilePrecision(2)
                    .register(registry);
            score = DistributionSummary.builder("score").register(registry);
            numeric = new DistributionSummary[NUMERIC];
            for (int i = 0; i < NUMERIC; i++) {
                numeric[i] = DistributionSummary.builder("feature").tag("name", "f" + i).register(registry);
            }
            categories = new Counter[2][CATEGORIES.length];
            for (int f = 0; f < 2; f++) {
                for (int c = 0; c < CATEGORIES.length; c++) {
                    categories[f][c] = Counter.builder("category").tag("feature", "c" + f)
                            .tag("value", CATEGORIES[c]).register(registry);
                }
            }
        }

        /** Checks that every recorder counted something, so that nothing was optimised away. */
        @TearDown(Level.Trial)
        public void tearDown() {
            long counted = monitor.snapshot().cumulative().count() + latencyOnly.snapshot().cumulative().count()
                    + scheduled.snapshot().cumulative().count() + latencyOnlyScheduled.snapshot().cumulative().count()
                    + recorder.getIntervalHistogram().getTotalCount() + timer.count();
            if (counted == 0) {
                throw new IllegalStateException("no recorder counted anything");
            }
            if (scheduledDrift.snapshot().current().numeric("f0").count() == 0) {
                throw new IllegalStateException("the monitor with drift counted nothing");
            }
            if (scheduledWithOutcomes.snapshot().outcomes().offered() == 0) {
                throw new IllegalStateException("the monitor with outcomes offered nothing to its pending store");
            }
            scheduled.close();
            latencyOnlyScheduled.close();
            scheduledWithOutcomes.close();
            scheduledDrift.close();
            scheduler.shutdownNow();
            registry.close();
        }
    }

    /** The training data of the drift monitor: the rows' distributions, 5,000 rows. */
    static Dataset reference() {
        Random random = new Random(7);
        int n = 5_000;
        Dataset.Builder b = Dataset.builder();
        for (int f = 0; f < NUMERIC; f++) {
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = random.nextGaussian() * (f + 1);
            }
            b.numeric("f" + f, values);
        }
        for (int c = 0; c < 2; c++) {
            String[] values = new String[n];
            for (int i = 0; i < n; i++) {
                values[i] = CATEGORIES[random.nextInt(CATEGORIES.length)];
            }
            b.categorical("c" + c, values);
        }
        return b.build();
    }

    /** One thread's predictions. */
    @State(Scope.Thread)
    public static class Rows {
        private static final int SIZE = 1 << 12;
        private static final AtomicInteger SEEDS = new AtomicInteger(20_261_125);

        long[] latencies;
        double[] scores;
        double[][] numeric;
        int[][] categories;
        int position;
        /** This thread's next prediction id: unique across threads (the thread's seed in the high bits). */
        long nextId;

        /** Draws this thread's rows: lognormal latencies (median 2 ms), Gaussian features, uniform categories. */
        @Setup(Level.Trial)
        public void setUp() {
            int seed = SEEDS.getAndIncrement();
            Random random = new Random(seed);
            nextId = (long) seed << 40;
            latencies = new long[SIZE];
            scores = new double[SIZE];
            numeric = new double[SIZE][NUMERIC];
            categories = new int[SIZE][2];
            for (int i = 0; i < SIZE; i++) {
                latencies[i] = Math.max(1, Math.round(2e6 * Math.exp(random.nextGaussian())));
                scores[i] = random.nextDouble();
                for (int f = 0; f < NUMERIC; f++) {
                    numeric[i][f] = random.nextGaussian() * (f + 1);
                }
                categories[i][0] = random.nextInt(CATEGORIES.length);
                categories[i][1] = random.nextInt(CATEGORIES.length);
            }
        }

        int next() {
            position = (position + 1) & (SIZE - 1);
            return position;
        }
    }

    /** A monitor whose open window holds 100,000 records, for snapshots. */
    @State(Scope.Benchmark)
    public static class Filled {
        InMemoryMonitor monitor;

        /** Records 100,000 rows into a fresh monitor with one-hour windows. */
        @Setup(Level.Trial)
        public void setUp() {
            monitor = Monitor.builder(schema()).window(Duration.ofHours(1)).build();
            Rows rows = new Rows();
            rows.setUp();
            for (int i = 0; i < 100_000; i++) {
                int r = rows.next();
                monitor.record(i, rows.scores[r], rows.latencies[r], rows.numeric[r], rows.categories[r]);
            }
        }
    }

    /**
     * @param rows this thread's rows
     * @return the next row's latency: the floor under every other benchmark here
     */
    @Benchmark
    public long baselineRead(Rows rows) {
        return rows.latencies[rows.next()];
    }

    /**
     * @param r the shared recorders
     * @param rows this thread's rows
     */
    @Benchmark
    @Threads(1)
    public void monitorRecord(Recorders r, Rows rows) {
        int i = rows.next();
        r.monitor.record(i, rows.scores[i], rows.latencies[i], rows.numeric[i], rows.categories[i]);
    }

    /**
     * @param r the shared recorders
     * @param rows this thread's rows
     */
    @Benchmark
    @Threads(1)
    public void monitorRecordScheduled(Recorders r, Rows rows) {
        int i = rows.next();
        r.scheduled.record(i, rows.scores[i], rows.latencies[i], rows.numeric[i], rows.categories[i]);
    }

    /**
     * A full record into a scheduled monitor that tests drift per window: reference bins for two features,
     * bounded samples for all ten.
     *
     * @param r the shared recorders
     * @param rows this thread's rows
     */
    @Benchmark
    @Threads(1)
    public void monitorRecordScheduledDrift(Recorders r, Rows rows) {
        int i = rows.next();
        r.scheduledDrift.record(i, rows.scores[i], rows.latencies[i], rows.numeric[i], rows.categories[i]);
    }

    /**
     * A full record on a binary classifier's monitor, which also offers the prediction to the bounded
     * pending-outcome store (the default 100,000 entries) for its label to join later; ids unique per thread.
     *
     * @param r the shared recorders
     * @param rows this thread's rows
     */
    @Benchmark
    @Threads(1)
    public void monitorRecordScheduledWithOutcomes(Recorders r, Rows rows) {
        int i = rows.next();
        r.scheduledWithOutcomes.record(rows.nextId++, rows.scores[i], rows.latencies[i], rows.numeric[i],
                rows.categories[i]);
    }

    /**
     * @param r the shared recorders
     * @param rows this thread's rows
     */
    @Benchmark
    @Threads(2)
    public void monitorRecordScheduledWithOutcomes2Threads(Recorders r, Rows rows) {
        int i = rows.next();
        r.scheduledWithOutcomes.record(rows.nextId++, rows.scores[i], rows.latencies[i], rows.numeric[i],
                rows.categories[i]);
    }

    /**
     * @param r the shared recorders
     * @param rows this thread's rows
     */
    @Benchmark
    @Threads(2)
    public void monitorRecordScheduled2Threads(Recorders r, Rows rows) {
        int i = rows.next();
        r.scheduled.record(i, rows.scores[i], rows.latencies[i], rows.numeric[i], rows.categories[i]);
    }

    /** @return the system clock's millis, the cost a record pays when it reads the clock */
    @Benchmark
    @Threads(1)
    public long readClock() {
        return InstantSource.system().millis();
    }

    /**
     * @param r the shared recorders
     * @param rows this thread's rows
     */
    @Benchmark
    @Threads(1)
    public void micrometerRecord(Recorders r, Rows rows) {
        int i = rows.next();
        r.timer.record(rows.latencies[i], TimeUnit.NANOSECONDS);
        r.score.record(rows.scores[i]);
        double[] numeric = rows.numeric[i];
        for (int f = 0; f < NUMERIC; f++) {
            r.numeric[f].record(numeric[f]);
        }
        int[] categories = rows.categories[i];
        r.categories[0][categories[0]].increment();
        r.categories[1][categories[1]].increment();
    }

    /**
     * @param r the shared recorders
     * @param rows this thread's rows
     */
    @Benchmark
    @Threads(1)
    public void monitorLatencyOnly(Recorders r, Rows rows) {
        int i = rows.next();
        r.latencyOnly.recordLatency(i, rows.latencies[i]);
    }

    /**
     * @param r the shared recorders
     * @param rows this thread's rows
     */
    @Benchmark
    @Threads(1)
    public void monitorLatencyOnlyScheduled(Recorders r, Rows rows) {
        int i = rows.next();
        r.latencyOnlyScheduled.recordLatency(i, rows.latencies[i]);
    }

    /**
     * @param r the shared recorders
     * @param rows this thread's rows
     */
    @Benchmark
    @Threads(1)
    public void hdrRecorder(Recorders r, Rows rows) {
        r.recorder.recordValue(rows.latencies[rows.next()]);
    }

    /**
     * @param f a monitor holding 100,000 records
     * @return its snapshot
     */
    @Benchmark
    @Threads(1)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public MonitorSnapshot monitorSnapshot(Filled f) {
        return f.monitor.snapshot();
    }
}
