package dev.mlops.drift;

import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Rule;
import dev.mlops.drift.internal.PcaModel;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Multivariate drift by PCA reconstruction error, reproducing NannyML's
 * {@code DataReconstructionDriftCalculator} on numeric columns.
 *
 * <p><b>Model</b>, fitted once on the reference (scikit-learn's {@code SimpleImputer},
 * {@code StandardScaler} and {@code PCA} as NannyML chains them):
 * <ol>
 *   <li>a NaN is replaced by its column's mean over the reference's non-NaN values, in the
 *       reference and in every current table alike (NannyML's default {@code strategy='mean'});</li>
 *   <li>columns are standardised by the mean and population standard deviation of the imputed
 *       reference (a constant column is only centred);</li>
 *   <li>PCA keeps the fewest components whose cumulative share of the standardised reference's
 *       variance is strictly above {@link PcaOptions#minExplainedVariance()}, 65% by default.</li>
 * </ol>
 * A row's reconstruction error is the Euclidean distance between its standardised values and their
 * projection onto the kept components; a table's is the mean over its rows. It grows when the
 * current rows leave the reference's main linear structure: a correlation that breaks or flips,
 * a column that moves in a way the others do not follow. A change along the kept components (a
 * shift of the shared factor) barely moves it; a test such as MMD sees those.
 *
 * <p><b>Band.</b> The reference is cut into consecutive chunks (NannyML's chunkers:
 * {@link PcaOptions#chunkSize()} rows each, or {@code n / chunkCount} rows, the leftover rows
 * handled by {@link PcaOptions#incomplete()}); the mean error of each chunk is computed with the
 * fitted model; the band is their mean plus and minus {@link PcaOptions#stdMultiplier()} times
 * their population standard deviation (ddof 0, NumPy's {@code np.std} as NannyML's
 * {@code StandardDeviationThreshold} calls it). A lower band below 0 is dropped, as NannyML does.
 * The upper band is the {@link DriftResult}'s threshold with {@link Rule#STATISTIC_ABOVE}: drift
 * when a table's error is strictly above it. {@link PcaReconstructionResult#outsideBand()} also
 * alerts below the lower band. NannyML since 0.10 alerts when the value is not strictly inside
 * the band, so it also alerts on equality; that differs only for a band of zero width, such as
 * the one of a single column, whose error is always 0, where NannyML alerts on every chunk.
 *
 * <p><b>Error bounds.</b> The band assumes the chunk errors of the reference are representative:
 * chunks of the size you will test, rows in time order, no drift inside the reference. With the
 * default 10 chunks the band's own standard deviation is large (its σ is estimated from 10 values,
 * relative error about 24%); prefer a chunk size that gives 30 or more chunks when the reference
 * allows. There is no p-value and no false-alarm guarantee: for normal chunk errors the ±3σ band is
 * left by chance about 0.3% of the time. Statistics match NannyML (scikit-learn) to rounding error:
 * a relative 1e-9 in the known-answer tests.
 *
 * <p><b>Cost.</b> Building: O(n d²) time and O(d²) memory (Commons Math eigen decomposition of the
 * covariance matrix). Each test: O(m d k) time for {@code m} rows and {@code k} components, no
 * memory beyond two rows. The reference rows are not kept.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * PcaReconstructionDetector pca = MultivariateDrift.reconstruction(trainingRows,
 *         PcaOptions.defaults().withChunkSize(1000));
 * PcaReconstructionResult r = pca.evaluate(lastThousandRows);
 * if (r.outsideBand()) alert(r.result());
 * }</pre>
 */
public final class PcaReconstructionDetector implements MultivariateDriftDetector {
    /** The {@link DriftResult#method()} of this detector. */
    public static final String METHOD = "pca_reconstruction";

    private final PcaOptions options;
    private final PcaModel model;
    private final int d;
    private final int referenceSize;
    private final int referenceMissing;
    private final double[] chunkValues;
    private final double upper;
    private final OptionalDouble lower;

    private PcaReconstructionDetector(PcaOptions options, PcaModel model, int d, int referenceSize,
            int referenceMissing, double[] chunkValues, double upper, OptionalDouble lower) {
        this.options = options;
        this.model = model;
        this.d = d;
        this.referenceSize = referenceSize;
        this.referenceMissing = referenceMissing;
        this.chunkValues = chunkValues;
        this.upper = upper;
        this.lower = lower;
    }

    /**
     * Fits the model and computes the band on the reference chunks.
     *
     * @param referenceRows reference table, {@code n × d}, in time order (chunks are consecutive
     *     rows); finite or NaN; read, not kept
     * @param options explained variance, chunking and band width
     * @return the detector
     * @throws IllegalArgumentException when rows are ragged or empty, a value is infinite, a column
     *     has only NaN, every column is constant, or the chunking gives fewer than two chunks or an
     *     empty one
     */
    public static PcaReconstructionDetector of(double[][] referenceRows, PcaOptions options) {
        Objects.requireNonNull(options, "options");
        int d = MultivariateRows.check("referenceRows", referenceRows, -1, 2);
        int n = referenceRows.length;
        int size = options.chunkSize().orElse(n / options.chunkCount());
        if (size < 1 || size > n) {
            throw new IllegalArgumentException("referenceRows: " + n + " rows cannot be cut into chunks of " + size
                    + (options.chunkSize().isPresent() ? " (chunkSize)" : " (n / chunkCount " + options.chunkCount() + ")")
                    + "; need at least one full chunk");
        }
        int full = n / size;
        int leftover = n % size;
        int chunks = full + (leftover > 0 && options.incomplete() == PcaOptions.Incomplete.KEEP ? 1 : 0);
        if (chunks < 2) {
            throw new IllegalArgumentException("referenceRows: " + n + " rows in chunks of " + size + " give " + chunks
                    + " chunk; the band needs at least 2 (use a smaller chunk size)");
        }
        PcaModel model = PcaModel.fit(referenceRows, options.minExplainedVariance(), "referenceRows");
        double[] values = new double[chunks];
        for (int c = 0; c < full; c++) {
            int end = c == full - 1 && options.incomplete() == PcaOptions.Incomplete.APPEND ? n : (c + 1) * size;
            values[c] = model.meanError(referenceRows, c * size, end);
        }
        if (chunks > full) {
            values[full] = model.meanError(referenceRows, full * size, n);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= chunks;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double spread = Math.sqrt(squares / chunks) * options.stdMultiplier();
        double low = mean - spread;
        return new PcaReconstructionDetector(options, model, d, n, MultivariateRows.rowsWithMissing(referenceRows),
                values, mean + spread, low < 0 ? OptionalDouble.empty() : OptionalDouble.of(low));
    }

    /**
     * @param currentRows rows of length {@link #dimension()}, at least one, finite or NaN (imputed
     *     with the reference column mean); read, not kept
     * @return method {@code "pca_reconstruction"}, the mean reconstruction error, the upper band and
     *     {@link Rule#STATISTIC_ABOVE}
     * @throws IllegalArgumentException as {@link #evaluate(double[][])}
     */
    @Override
    public DriftResult detect(double[][] currentRows) {
        return evaluate(currentRows).result();
    }

    /**
     * @param currentRows rows of length {@link #dimension()}, at least one, finite or NaN (imputed
     *     with the reference column mean); read, not kept
     * @return the verdict with both bands, the component count and the number of imputed values
     * @throws IllegalArgumentException when there is no row, a row has the wrong length or a value
     *     is infinite
     */
    public PcaReconstructionResult evaluate(double[][] currentRows) {
        MultivariateRows.check("currentRows", currentRows, d, 1);
        double error = model.meanError(currentRows, 0, currentRows.length);
        DriftResult result = new DriftResult(METHOD, error, OptionalDouble.empty(), upper, Rule.STATISTIC_ABOVE,
                referenceSize, currentRows.length, referenceMissing, MultivariateRows.rowsWithMissing(currentRows));
        return new PcaReconstructionResult(result, lower, model.components(),
                MultivariateRows.missingValues(currentRows));
    }

    /** @return the number of columns every row must have */
    @Override
    public int dimension() {
        return d;
    }

    /** @return the options this detector was built with */
    public PcaOptions options() {
        return options;
    }

    /** @return the number of principal components kept */
    public int components() {
        return model.components();
    }

    /** @return the share of the reference variance along each principal axis, largest first (a copy) */
    public double[] explainedVarianceRatio() {
        return model.explainedVarianceRatio();
    }

    /** @return the values that replace NaN, per column: the reference column means (a copy) */
    public double[] imputationValues() {
        return model.imputationValues();
    }

    /** @return the mean reconstruction error of each reference chunk, in order (a copy) */
    public double[] referenceChunkValues() {
        return Arrays.copyOf(chunkValues, chunkValues.length);
    }

    /** @return the upper band: drift when a table's error is strictly above it */
    public double upperThreshold() {
        return upper;
    }

    /** @return the lower band, absent when it would be below 0 */
    public OptionalDouble lowerThreshold() {
        return lower;
    }

    /** @return the number of reference rows */
    public int referenceSize() {
        return referenceSize;
    }

    /** @return the number of reference rows with at least one NaN (imputed, and used) */
    public int referenceMissing() {
        return referenceMissing;
    }
}
