package dev.mlops.bench;

import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Sample;
import dev.mlops.drift.DriftDetectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
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
 * Two-sample Kolmogorov-Smirnov of 1,000,000 current values against 1,000,000 reference values. Ours
 * prepares (sorts) the reference once, as a deployed drift check does, and per call sorts the current
 * sample and computes statistic and p-value; Commons Math's {@code KolmogorovSmirnovTest}, what a Java
 * user would reach for, gets the raw arrays. SciPy's {@code ks_2samp} on the same data is timed by
 * {@code mlops-bench/scripts/ks_scipy.py}, which also writes the data this benchmark reads when
 * {@code -Dks.data=<dir>} is given (little-endian float64 files {@code ref.f64} and {@code cur.f64});
 * without it, the same distributions are drawn here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class KsBench {
    private double[] reference;
    private double[] current;
    private DriftDetector prepared;

    /**
     * Reads SciPy's data or draws the same distributions, and prepares the reference.
     */
    @Setup(Level.Trial)
    public void setUp() {
        String dir = System.getProperty("ks.data");
        if (dir != null) {
            reference = read(Path.of(dir, "ref.f64"));
            current = read(Path.of(dir, "cur.f64"));
        } else {
            SplittableRandom r = new SplittableRandom(7);
            reference = new double[1_000_000];
            current = new double[1_000_000];
            for (int i = 0; i < reference.length; i++) {
                reference[i] = gaussian(r);
                current[i] = 0.01 + gaussian(r);
            }
        }
        prepared = DriftDetectors.kolmogorovSmirnov(Reference.numeric(reference));
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    private static double[] read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            double[] out = new double[bytes.length / 8];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read benchmark data " + file, e);
        }
    }

    /**
     * KS against the prepared reference, sorting the current sample.
     *
     * @return the result
     */
    @Benchmark
    public DriftResult mlops_preparedReference() {
        return prepared.detect(Sample.numeric(current));
    }

    /**
     * Commons Math's two-sample KS p-value on the raw arrays.
     *
     * @return the p-value
     */
    @Benchmark
    public double commonsMath_kolmogorovSmirnovTest() {
        return new KolmogorovSmirnovTest().kolmogorovSmirnovTest(reference, current);
    }
}
