package dev.mlops.bench;

import dev.mlops.core.drift.Signal;
import dev.mlops.drift.stream.Adwin;
import dev.mlops.drift.stream.Cusum;
import dev.mlops.drift.stream.Ddm;
import dev.mlops.drift.stream.Eddm;
import dev.mlops.drift.stream.EwmaChart;
import dev.mlops.drift.stream.HddmA;
import dev.mlops.drift.stream.HddmW;
import dev.mlops.drift.stream.Kswin;
import dev.mlops.drift.stream.PageHinkley;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per {@code update} of every streaming change detector, walking through a
 * pre-generated error stream of 2^20 values (Bernoulli, error rate switching between 0.2 and 0.4
 * every 50,000 inputs so that detectors also pay for their drifts and resets).
 *
 * <p>Baselines in the same class: {@link #baselineRead()} (reading the next value, the loop's
 * floor) and {@link #baselineRunningMean()} (the cheapest estimator a user could write instead).
 * For reference, MOA's {@code ADWINChangeDetector} costs about 345 ns per input on the project's
 * machines.
 *
 * <pre>
 * java -jar mlops-bench/target/benchmarks.jar ChangeDetectorBench -f 1 -wi 2 -w 1 -i 3 -r 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChangeDetectorBench {
    private static final int SIZE = 1 << 20;
    private static final int SEGMENT = 50_000;

    private double[] stream;
    private int position;

    private double mean;
    private long count;
    private Adwin adwin;
    private Adwin adwinMoa;
    private Ddm ddm;
    private Eddm eddm;
    private HddmA hddmA;
    private HddmW hddmW;
    private PageHinkley pageHinkley;
    private Cusum cusum;
    private Kswin kswin;
    private EwmaChart ewmaChart;

    /** Generates the stream once and builds every detector with its default options. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(20_261_127L);
        stream = new double[SIZE];
        for (int i = 0; i < SIZE; i++) {
            double p = (i / SEGMENT) % 2 == 0 ? 0.2 : 0.4;
            stream[i] = random.nextDouble() < p ? 1.0 : 0.0;
        }
        adwin = Adwin.builder().build();
        adwinMoa = Adwin.builder().moa().build();
        ddm = Ddm.builder().build();
        eddm = Eddm.builder().build();
        hddmA = HddmA.builder().build();
        hddmW = HddmW.builder().build();
        pageHinkley = PageHinkley.builder().build();
        cusum = Cusum.builder().build();
        kswin = Kswin.builder().seed(1).build();
        ewmaChart = EwmaChart.builder().build();
    }

    private double next() {
        double value = stream[position];
        position = (position + 1) & (SIZE - 1);
        return value;
    }

    /** @return the next value: the cost of walking the stream, subtracted from nothing but worth knowing */
    @Benchmark
    public double baselineRead() {
        return next();
    }

    /** @return a plain running mean, the raw JDK floor for any estimator */
    @Benchmark
    public double baselineRunningMean() {
        count++;
        mean += (next() - mean) / count;
        return mean;
    }

    /** @return ADWIN with River's defaults (reset after drift) */
    @Benchmark
    public Signal adwin() {
        return adwin.update(next());
    }

    /** @return ADWIN with MOA's options (the window keeps growing between drifts) */
    @Benchmark
    public Signal adwinMoa() {
        return adwinMoa.update(next());
    }

    /** @return DDM */
    @Benchmark
    public Signal ddm() {
        return ddm.update(next());
    }

    /** @return EDDM */
    @Benchmark
    public Signal eddm() {
        return eddm.update(next());
    }

    /** @return HDDM_A */
    @Benchmark
    public Signal hddmA() {
        return hddmA.update(next());
    }

    /** @return HDDM_W */
    @Benchmark
    public Signal hddmW() {
        return hddmW.update(next());
    }

    /** @return Page-Hinkley, both directions */
    @Benchmark
    public Signal pageHinkley() {
        return pageHinkley.update(next());
    }

    /** @return CUSUM */
    @Benchmark
    public Signal cusum() {
        return cusum.update(next());
    }

    /** @return KSWIN (window 100, two samples of 30 sorted per input) */
    @Benchmark
    public Signal kswin() {
        return kswin.update(next());
    }

    /** @return the ECDD EWMA chart */
    @Benchmark
    public Signal ewmaChart() {
        return ewmaChart.update(next());
    }
}
