package dev.mlops.drift;

import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.dataset.MultivariateDriftDetector;
import dev.mlops.drift.internal.PcaModel;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

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
 * <p><b>Saving.</b> {@link #toJson()} writes the fitted model and the band, not the rows, and
 * {@link #fromJson(String)} reads them back into a detector that gives bit-identical results.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * PcaReconstructionDetector pca = MultivariateDrift.reconstruction(trainingRows,
 *         PcaOptions.defaults().withChunkSize(1000));
 * PcaReconstructionResult r = pca.evaluate(lastThousandRows);
 * if (r.outsideBand()) alert(r.result());
 * String saved = pca.toJson();             // on a replica: PcaReconstructionDetector.fromJson(saved)
 * }</pre>
 */
public final class PcaReconstructionDetector implements MultivariateDriftDetector {
    /** The {@link DriftResult#method()} of this detector. */
    public static final String METHOD = "pca_reconstruction";
    /** The {@code format} field of {@link #toJson()}. */
    public static final String FORMAT = "mlops.drift.pca-reference";
    /** The format version {@link #toJson()} writes and {@link #fromJson(String)} reads. */
    public static final int FORMAT_VERSION = 1;
    /**
     * How far a loaded band may stray from {@code mean ± stdMultiplier · std}, relative to
     * {@code |mean| + stdMultiplier · std}, and how far the loaded components may stray from
     * orthonormal: both are rounding error in a band or model this library wrote.
     */
    private static final double LOAD_TOLERANCE = 1e-9;

    private final PcaOptions options;
    private final PcaModel model;
    private final int d;
    private final int referenceSize;
    private final int referenceMissing;
    private final double[] chunkValues;
    private final double bandMean;
    private final double bandStd;
    private final double upper;
    private final OptionalDouble lower;

    private PcaReconstructionDetector(PcaOptions options, PcaModel model, int d, int referenceSize,
            int referenceMissing, double[] chunkValues, double bandMean, double bandStd, double upper,
            OptionalDouble lower) {
        this.options = options;
        this.model = model;
        this.d = d;
        this.referenceSize = referenceSize;
        this.referenceMissing = referenceMissing;
        this.chunkValues = chunkValues;
        this.bandMean = bandMean;
        this.bandStd = bandStd;
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
        int size = chunkSize(n, options);
        int chunks = chunkCount(n, size, options, "referenceRows");
        int full = n / size;
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
        double std = Math.sqrt(squares / chunks);
        double spread = std * options.stdMultiplier();
        double low = mean - spread;
        return new PcaReconstructionDetector(options, model, d, n, MultivariateRows.rowsWithMissing(referenceRows),
                values, mean, std, mean + spread, low < 0 ? OptionalDouble.empty() : OptionalDouble.of(low));
    }

    /** @return rows per reference chunk: the given size, or {@code n / chunkCount} */
    private static int chunkSize(int n, PcaOptions options) {
        return options.chunkSize().orElse(n / options.chunkCount());
    }

    /**
     * @param name the argument that holds the {@code n} rows, for messages
     * @return the number of reference chunks, at least 2
     * @throws IllegalArgumentException when the chunks are empty, larger than the reference, or fewer
     *     than two
     */
    private static int chunkCount(int n, int size, PcaOptions options, String name) {
        if (size < 1 || size > n) {
            throw new IllegalArgumentException(name + ": " + n + " rows cannot be cut into chunks of " + size
                    + (options.chunkSize().isPresent() ? " (chunkSize)" : " (n / chunkCount " + options.chunkCount() + ")")
                    + "; need at least one full chunk");
        }
        int full = n / size;
        int leftover = n % size;
        int chunks = full + (leftover > 0 && options.incomplete() == PcaOptions.Incomplete.KEEP ? 1 : 0);
        if (chunks < 2) {
            throw new IllegalArgumentException(name + ": " + n + " rows in chunks of " + size + " give " + chunks
                    + " chunk; the band needs at least 2 (use a smaller chunk size)");
        }
        return chunks;
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

    /** @return the mean of the reference chunk errors: the centre of the band */
    public double referenceChunkMean() {
        return bandMean;
    }

    /** @return the population standard deviation (ddof 0) of the reference chunk errors */
    public double referenceChunkStd() {
        return bandStd;
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

    /**
     * Saves the fitted model and the band. Format {@value #FORMAT}, version {@value #FORMAT_VERSION},
     * one object with these fields (in this order when written, in any order when read); {@code d}
     * is the number of columns, {@code k} the number of components:
     * <pre>{@code
     * {"format":"mlops.drift.pca-reference","version":1,
     *  "dimension":3,                     // d
     *  "referenceSize":120,               // reference rows, imputed ones included
     *  "referenceMissing":9,              // reference rows with a NaN
     *  "options":{"minExplainedVariance":0.65,"chunkCount":10,
     *             "chunkSize":null,       // null: n / chunkCount rows per chunk
     *             "stdMultiplier":3.0,"incomplete":"KEEP"},   // KEEP, DROP or APPEND
     *  "imputationValues":[..d],          // replace NaN: column means over non-NaN reference values
     *  "means":[..d],                     // column means of the imputed reference (subtracted)
     *  "scales":[..d],                    // population std of each column, 1 if constant (divided by)
     *  "pcaMeans":[..d],                  // column means of the standardised reference (subtracted)
     *  "explainedVarianceRatio":[..d],    // variance share per principal axis, largest first
     *  "componentCount":2,                // k
     *  "components":[[..d],[..d]],        // the k kept unit axes, largest variance first
     *  "band":{"chunkValues":[..],        // mean error of each reference chunk, in order
     *          "mean":0.41,"std":0.02,    // their mean and population std (ddof 0)
     *          "lower":0.35,              // null when mean - stdMultiplier * std is below 0
     *          "upper":0.47}}             // mean + stdMultiplier * std: the drift threshold
     * }</pre>
     * No reference rows are stored. Numbers are written as {@link Double#toString} writes them, which
     * reads back to the same double, so the loaded detector gives bit-identical errors and bands.
     *
     * @return the fitted reference as compact JSON
     */
    public String toJson() {
        return MultivariateJson.write(FORMAT, FORMAT_VERSION, g -> {
            g.writeNumberField("dimension", d);
            g.writeNumberField("referenceSize", referenceSize);
            g.writeNumberField("referenceMissing", referenceMissing);
            g.writeObjectFieldStart("options");
            g.writeNumberField("minExplainedVariance", options.minExplainedVariance());
            g.writeNumberField("chunkCount", options.chunkCount());
            g.writeFieldName("chunkSize");
            if (options.chunkSize().isPresent()) {
                g.writeNumber(options.chunkSize().getAsInt());
            } else {
                g.writeNull();
            }
            g.writeNumberField("stdMultiplier", options.stdMultiplier());
            g.writeStringField("incomplete", options.incomplete().name());
            g.writeEndObject();
            MultivariateJson.writeArray(g, "imputationValues", model.imputationValues());
            MultivariateJson.writeArray(g, "means", model.centre());
            MultivariateJson.writeArray(g, "scales", model.scale());
            MultivariateJson.writeArray(g, "pcaMeans", model.pcaMean());
            MultivariateJson.writeArray(g, "explainedVarianceRatio", model.explainedVarianceRatio());
            g.writeNumberField("componentCount", model.components());
            double[] components = model.componentVectors();
            g.writeArrayFieldStart("components");
            for (int from = 0; from < components.length; from += d) {
                MultivariateJson.writeArray(g, components, from, from + d);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("band");
            MultivariateJson.writeArray(g, "chunkValues", chunkValues);
            g.writeNumberField("mean", bandMean);
            g.writeNumberField("std", bandStd);
            g.writeFieldName("lower");
            if (lower.isPresent()) {
                g.writeNumber(lower.getAsDouble());
            } else {
                g.writeNull();
            }
            g.writeNumberField("upper", upper);
            g.writeEndObject();
        });
    }

    /**
     * Loads a reference saved by {@link #toJson()}. Nothing is refitted: the model and the band are
     * used as stored, after checks that they are one this library could have written.
     *
     * @param json a document in format {@value #FORMAT}, version {@value #FORMAT_VERSION}
     * @return a detector equal in every result to the one that saved it
     * @throws IllegalArgumentException naming the field, when the text is not well-formed JSON, the
     *     format or version differs, a field is missing, unknown or of the wrong type, a number is not
     *     finite or out of range, an array's length disagrees with {@code dimension},
     *     {@code componentCount} or the chunking of {@code referenceSize}, a scale is not &gt; 0, the
     *     variance shares are not descending in [0, 1] or do not give {@code componentCount}
     *     components, the components are not orthonormal, or the band is not
     *     {@code lower <= mean <= upper} at {@code mean ± stdMultiplier · std}
     */
    public static PcaReconstructionDetector fromJson(String json) {
        MultivariateJson.Obj root = MultivariateJson.parse(json, FORMAT, FORMAT_VERSION);
        int d = root.intValue("dimension", 1, Integer.MAX_VALUE);
        int n = root.intValue("referenceSize", 2, Integer.MAX_VALUE);
        int missing = root.intValue("referenceMissing", 0, n);
        PcaOptions options = readOptions(root.object("options"));
        int chunks;
        try {
            chunks = chunkCount(n, chunkSize(n, options), options, "referenceSize");
        } catch (IllegalArgumentException e) {
            throw root.wrap(e);
        }
        double[] imputed = root.finiteArray("imputationValues", d, "dimension");
        double[] centre = root.finiteArray("means", d, "dimension");
        double[] scale = root.finiteArray("scales", d, "dimension");
        for (int j = 0; j < d; j++) {
            if (!(scale[j] > 0)) {
                throw root.fail("scales[" + j + "]", "must be > 0, was " + scale[j]);
            }
        }
        double[] pcaMean = root.finiteArray("pcaMeans", d, "dimension");
        double[] ratio = readRatio(root, d);
        int k = root.intValue("componentCount", 1, d);
        int implied = PcaModel.componentsFor(ratio, options.minExplainedVariance());
        if (k != implied) {
            throw root.fail("componentCount", "must be " + implied + ", the count explainedVarianceRatio gives for"
                    + " options.minExplainedVariance " + options.minExplainedVariance() + ", was " + k);
        }
        double[] components = root.finiteRows("components", k, "componentCount", d, "dimension");
        checkOrthonormal(root, components, k, d);
        MultivariateJson.Obj band = root.object("band");
        double[] values = band.finiteArray("chunkValues", chunks, "the chunks " + n + " rows give with these options");
        for (int c = 0; c < chunks; c++) {
            if (values[c] < 0) {
                throw band.fail("chunkValues[" + c + "]", "must be >= 0, was " + values[c]);
            }
        }
        double mean = band.finite("mean");
        double std = band.finite("std");
        if (std < 0) {
            throw band.fail("std", "must be >= 0, was " + std);
        }
        double upper = band.finite("upper");
        OptionalDouble lower = band.isNull("lower") ? OptionalDouble.empty() : OptionalDouble.of(band.finite("lower"));
        checkBand(band, options.stdMultiplier(), mean, std, lower, upper);
        band.noOtherFields();
        root.noOtherFields();
        PcaModel model = PcaModel.of(imputed, centre, scale, pcaMean, components, ratio);
        return new PcaReconstructionDetector(options, model, d, n, missing, values, mean, std, upper, lower);
    }

    private static PcaOptions readOptions(MultivariateJson.Obj o) {
        double share = o.finite("minExplainedVariance");
        int count = o.intValue("chunkCount", Integer.MIN_VALUE, Integer.MAX_VALUE);
        OptionalInt size = o.isNull("chunkSize") ? OptionalInt.empty()
                : OptionalInt.of(o.intValue("chunkSize", Integer.MIN_VALUE, Integer.MAX_VALUE));
        double multiplier = o.finite("stdMultiplier");
        String policy = o.string("incomplete");
        PcaOptions.Incomplete incomplete = Arrays.stream(PcaOptions.Incomplete.values())
                .filter(v -> v.name().equals(policy)).findFirst()
                .orElseThrow(() -> o.fail("incomplete", "must be one of " + Arrays.toString(PcaOptions.Incomplete.values())
                        + ", was \"" + policy + "\""));
        o.noOtherFields();
        try {
            return new PcaOptions(share, count, size, multiplier, incomplete);
        } catch (IllegalArgumentException e) {
            throw o.wrap(e);
        }
    }

    private static double[] readRatio(MultivariateJson.Obj root, int d) {
        double[] ratio = root.finiteArray("explainedVarianceRatio", d, "dimension");
        double sum = 0;
        for (int i = 0; i < d; i++) {
            if (!(ratio[i] >= 0 && ratio[i] <= 1)) {
                throw root.fail("explainedVarianceRatio[" + i + "]", "must be in [0, 1], was " + ratio[i]);
            }
            if (i > 0 && ratio[i] > ratio[i - 1]) {
                throw root.fail("explainedVarianceRatio[" + i + "]", "must not exceed the share before it ("
                        + ratio[i - 1] + "), was " + ratio[i]);
            }
            sum += ratio[i];
        }
        if (Math.abs(sum - 1) > LOAD_TOLERANCE) {
            throw root.fail("explainedVarianceRatio", "must sum to 1, summed to " + sum);
        }
        return ratio;
    }

    private static void checkOrthonormal(MultivariateJson.Obj root, double[] components, int k, int d) {
        for (int a = 0; a < k; a++) {
            for (int b = 0; b <= a; b++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += components[a * d + j] * components[b * d + j];
                }
                double expected = a == b ? 1 : 0;
                if (!(Math.abs(dot - expected) <= LOAD_TOLERANCE)) {
                    throw root.fail("components", a == b
                            ? "must be unit vectors; components[" + a + "] has squared length " + dot
                            : "must be orthogonal; components[" + a + "] and components[" + b + "] have dot product " + dot);
                }
            }
        }
    }

    private static void checkBand(MultivariateJson.Obj band, double multiplier, double mean, double std,
            OptionalDouble lower, double upper) {
        double low = lower.orElse(0);
        if (low < 0) {
            throw band.fail("lower", "must be >= 0 (the band is ordered 0 <= lower <= mean <= upper), was " + low);
        }
        if (mean < low) {
            throw band.fail("mean", "must be >= " + (lower.isPresent() ? "lower (" + low + ")" : "0")
                    + " (the band is ordered 0 <= lower <= mean <= upper), was " + mean);
        }
        if (upper < mean) {
            throw band.fail("upper", "must be >= mean (" + mean + ") (the band is ordered 0 <= lower <= mean <= upper),"
                    + " was " + upper);
        }
        double spread = std * multiplier;
        double tolerance = LOAD_TOLERANCE * (Math.abs(mean) + spread);
        if (!(Math.abs(upper - (mean + spread)) <= tolerance)) {
            throw band.fail("upper", "must be mean + options.stdMultiplier * std = " + (mean + spread) + ", was " + upper);
        }
        if (lower.isPresent() && !(Math.abs(low - (mean - spread)) <= tolerance)) {
            throw band.fail("lower", "must be mean - options.stdMultiplier * std = " + (mean - spread) + ", was " + low);
        }
        if (lower.isEmpty() && mean - spread >= tolerance) {
            throw band.fail("lower", "must be mean - options.stdMultiplier * std = " + (mean - spread)
                    + ", was null (null only when that is below 0)");
        }
    }
}
