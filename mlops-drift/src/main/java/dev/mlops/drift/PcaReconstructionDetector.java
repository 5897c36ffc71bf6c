package dev.mlops.drift;

import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.Names;
import dev.mlops.core.drift.dataset.MultivariateDriftDetector;
import dev.mlops.core.internal.JsonFormat;
import dev.mlops.core.internal.StrictJsonReader;
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
 * their population standard deviation (ddof 0, NumPy's {@code np.nanstd} as NannyML's
 * {@code StandardDeviationThreshold} calls it). NannyML's rule, as of 0.13
 * ({@code nannyml/thresholds.py} {@code calculate_threshold_values} with
 * {@code lower_threshold_value_limit=0} and {@code override_using_none=True}; the alert in
 * {@code data_reconstruction/calculator.py} is {@code not (lower < value < upper)}), is followed
 * exactly:
 * <ul>
 *   <li>a lower band at or below 0 is dropped ({@code lower <= 0}: an error cannot be below 0);</li>
 *   <li>a table alerts when its error is not strictly inside the band: at or above the upper band,
 *       or at or below the lower band when there is one.</li>
 * </ul>
 * The upper band is the {@link DriftResult}'s threshold with {@link Rule#STATISTIC_AT_LEAST}: drift
 * when a table's error is at or above it. {@link PcaReconstructionResult#outsideBand()} also alerts
 * at or below the lower band. When the components explain every column ({@code k = d}, as with a
 * single column) every error is exactly 0, the band is {@code [0, 0]} without a lower side, and every
 * table alerts, as NannyML's rule says for a band of zero width (NannyML's own errors are then
 * rounding noise of about 1e-16, so its alerts there come and go at random): choose a
 * {@link PcaOptions#minExplainedVariance()} that keeps fewer components than columns.
 *
 * <p><b>Error bounds.</b> The band assumes the chunk errors of the reference are representative:
 * chunks of the size you will test, rows in time order, no drift inside the reference. With the
 * default 10 chunks the band's own standard deviation is large (its σ is estimated from 10 values,
 * relative error about 24%); prefer a chunk size that gives 30 or more chunks when the reference
 * allows. There is no p-value and no false-alarm guarantee: for normal chunk errors the ±3σ band is
 * left by chance about 0.3% of the time. Statistics match NannyML (scikit-learn) to rounding error:
 * a relative 1e-9 in the known-answer tests.
 *
 * <p><b>Limits.</b> At most {@value #MAX_DIMENSION} columns and {@value PcaOptions#MAX_CHUNKS}
 * reference chunks; options have their own ranges ({@link PcaOptions}). Rows are not kept, so their
 * number is bounded only by the caller's arrays ({@code referenceSize} of a saved reference is at
 * most 2^31 - 1). Every column is scaled by a power of two before it is summed, so no finite value
 * overflows; a value more than {@value #MAX_STANDARDISED} reference standard deviations from
 * the reference mean is refused, naming the cell. So every error and band is finite and at least 0.
 * Within the limits, fitting, loading and evaluating fit a 256 MB heap.
 *
 * <p><b>Cost.</b> Building: O(n d²) time and O(d²) memory (the symmetric eigen decomposition of the
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
    /**
     * The most columns: the fit keeps a few {@code d × d} matrices (2 MB each at this limit) and
     * decomposes one in O(d³) time, about 0.15 s at this limit and eight times that at 1,000 columns;
     * reduce wider tables first (drop or merge columns).
     */
    public static final int MAX_DIMENSION = 500;
    /**
     * The longest document {@link #fromJson(String)} reads, in characters (64 MiB, as the other drift
     * references); a reference at the limits ({@value PcaOptions#MAX_CHUNKS} chunk values,
     * {@value #MAX_DIMENSION}² component values) is about 25 MB as written.
     */
    public static final int MAX_JSON_CHARS = 64 << 20;
    /**
     * The furthest a value may lie from its reference column mean, in reference standard deviations
     * (its standardised value); a farther one is refused, naming its cell, since the error would not
     * be finite. No reference row can lie that far out, except in a column scikit-learn deems
     * constant (divisor 1) whose values still differ by more than this.
     */
    public static final double MAX_STANDARDISED = PcaModel.MAX_STANDARDISED;
    private static final String DOCUMENT = "pca reference JSON";
    private static final JsonFormat JSON = new JsonFormat(FORMAT, FORMAT_VERSION);

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
     *     has only NaN, every column is constant, there are more than {@value #MAX_DIMENSION} columns,
     *     the chunking gives fewer than two chunks, an empty one or more than
     *     {@value PcaOptions#MAX_CHUNKS}, a reference value lies beyond {@value #MAX_STANDARDISED}
     *     standard deviations (a column deemed constant), or the eigen decomposition fails
     */
    public static PcaReconstructionDetector of(double[][] referenceRows, PcaOptions options) {
        Objects.requireNonNull(options, "options");
        int d = MultivariateRows.check("referenceRows", referenceRows, -1, 2);
        if (d > MAX_DIMENSION) {
            throw new IllegalArgumentException("referenceRows rows must have at most " + MAX_DIMENSION
                    + " columns (MAX_DIMENSION), had " + d);
        }
        int n = referenceRows.length;
        int size = chunkSize(n, options);
        int chunks = chunkCount(n, size, options, "referenceRows");
        int full = n / size;
        PcaModel model = PcaModel.fit(referenceRows, options.minExplainedVariance(), "referenceRows");
        double[] values = new double[chunks];
        for (int c = 0; c < full; c++) {
            int end = c == full - 1 && options.incomplete() == PcaOptions.Incomplete.APPEND ? n : (c + 1) * size;
            values[c] = model.meanError(referenceRows, c * size, end, "referenceRows");
        }
        if (chunks > full) {
            values[full] = model.meanError(referenceRows, full * size, n, "referenceRows");
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
        return new PcaReconstructionDetector(options, model, d, n, MultivariateRows.rowsWithMissing(referenceRows),
                values, mean, std, mean + spread, lowerBand(mean - spread));
    }

    /** NannyML's {@code lower_threshold_value_limit=0}: a lower band at or below 0 is no band. */
    private static OptionalDouble lowerBand(double low) {
        return low > 0 ? OptionalDouble.of(low) : OptionalDouble.empty();
    }

    /** @return rows per reference chunk: the given size, or {@code n / chunkCount} */
    private static int chunkSize(int n, PcaOptions options) {
        return options.chunkSize().orElse(n / options.chunkCount());
    }

    /**
     * @param name the argument that holds the {@code n} rows, for messages
     * @return the number of reference chunks, at least 2
     * @throws IllegalArgumentException when the chunks are empty, larger than the reference, fewer
     *     than two or more than {@value PcaOptions#MAX_CHUNKS}
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
        if (chunks > PcaOptions.MAX_CHUNKS) {
            throw new IllegalArgumentException(name + ": " + n + " rows in chunks of " + size + " give " + chunks
                    + " chunks, more than " + PcaOptions.MAX_CHUNKS + " (PcaOptions.MAX_CHUNKS); use a larger chunk size");
        }
        return chunks;
    }

    /**
     * @param currentRows rows of length {@link #dimension()}, at least one, finite or NaN (imputed
     *     with the reference column mean); read, not kept
     * @return method {@code "pca_reconstruction"}, the mean reconstruction error, the upper band and
     *     {@link Rule#STATISTIC_AT_LEAST}
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
     * @throws IllegalArgumentException when there is no row, a row has the wrong length, a value is
     *     infinite, or a value lies more than {@value #MAX_STANDARDISED} reference standard
     *     deviations from the reference mean (named by its cell)
     */
    public PcaReconstructionResult evaluate(double[][] currentRows) {
        MultivariateRows.check("currentRows", currentRows, d, 1);
        double error = model.meanError(currentRows, 0, currentRows.length, "currentRows");
        DriftResult result = new DriftResult(METHOD, error, OptionalDouble.empty(), upper, Rule.STATISTIC_AT_LEAST,
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

    /** @return the upper band: drift when a table's error is at or above it */
    public double upperThreshold() {
        return upper;
    }

    /** @return the lower band, absent when it would be at or below 0 */
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
     *          "lower":0.35,              // null when mean - stdMultiplier * std is at or below 0
     *          "upper":0.47}}             // mean + stdMultiplier * std: the drift threshold
     * }</pre>
     * No reference rows are stored. Numbers are written as {@link Double#toString} writes them, which
     * reads back to the same double, so the loaded detector gives bit-identical errors and bands.
     *
     * @return the fitted reference as compact JSON
     */
    public String toJson() {
        return JSON.writeCompact(g -> {
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
            g.writeNumbersField("imputationValues", model.imputationValues());
            g.writeNumbersField("means", model.centre());
            g.writeNumbersField("scales", model.scale());
            g.writeNumbersField("pcaMeans", model.pcaMean());
            g.writeNumbersField("explainedVarianceRatio", model.explainedVarianceRatio());
            g.writeNumberField("componentCount", model.components());
            double[] components = model.componentVectors();
            g.writeArrayFieldStart("components");
            for (int from = 0; from < components.length; from += d) {
                g.writeNumbers(components, from, from + d);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("band");
            g.writeNumbersField("chunkValues", chunkValues);
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
     * used as stored, after checks that they are one this library could have written. Read strictly
     * (see {@link dev.mlops.core.InvalidFormatException}): fields in any order, each once, of its type,
     * unknown fields refused, nothing after the object, and every size checked against its limit
     * before it is stored: at most {@value #MAX_JSON_CHARS} characters, {@value #MAX_DIMENSION}
     * columns and components, {@value PcaOptions#MAX_CHUNKS} chunks.
     *
     * <p>A version 1 document written before the lower band followed NannyML's {@code lower <= 0}
     * rule may hold {@code "lower":0.0}; it is read as no lower band, and saved again as {@code null}.
     *
     * @param json a document in format {@value #FORMAT}, version {@value #FORMAT_VERSION}
     * @return a detector equal in every result to the one that saved it
     * @throws dev.mlops.core.InvalidFormatException naming the field's JSON Pointer and the character
     *     offset, when the text is not well-formed JSON, the format or version differs, a field is
     *     missing, repeated, unknown or of the wrong type, a number is not finite or out of its range,
     *     a size passes its limit, an array's length disagrees with {@code dimension},
     *     {@code componentCount} or the chunking of {@code referenceSize}, a scale is below
     *     {@link Double#MIN_NORMAL} or too small for its mean, an imputation value or PCA mean is
     *     beyond {@value #MAX_STANDARDISED} standard deviations, the variance shares are not
     *     descending in [0, 1] or do not give {@code componentCount} components, the components are
     *     not orthonormal, or the band is not {@code 0 < lower <= mean <= upper} at
     *     {@code mean ± stdMultiplier · std}
     */
    public static PcaReconstructionDetector fromJson(String json) {
        try (StrictJsonReader r = JSON.reader(DOCUMENT, json, MAX_JSON_CHARS)) {
            r.beginObject();
            Integer dimension = null;
            Integer size = null;
            Integer missingRows = null;
            Integer componentCount = null;
            ReadOptions readOptions = null;
            double[] imputed = null;
            double[] centre = null;
            double[] scale = null;
            double[] pcaMean = null;
            double[] ratio = null;
            MultivariateJson.Rows rows = null;
            ReadBand readBand = null;
            while (r.nextField()) {
                switch (r.field()) {
                    case "dimension" -> dimension = r.intValue(1, MAX_DIMENSION);
                    case "referenceSize" -> size = r.intValue(2, Integer.MAX_VALUE);
                    case "referenceMissing" -> missingRows = r.intValue(0, Integer.MAX_VALUE);
                    case "options" -> readOptions = readOptions(r);
                    case "imputationValues" -> imputed = r.doubleArray(MAX_DIMENSION);
                    case "means" -> centre = r.doubleArray(MAX_DIMENSION);
                    case "scales" -> scale = r.doubleArray(MAX_DIMENSION);
                    case "pcaMeans" -> pcaMean = r.doubleArray(MAX_DIMENSION);
                    case "explainedVarianceRatio" -> ratio = r.doubleArray(MAX_DIMENSION);
                    case "componentCount" -> componentCount = r.intValue(1, MAX_DIMENSION);
                    case "components" -> rows = MultivariateJson.rows(r, "/components", dimension == null ? -1 : dimension,
                            "dimension", MAX_DIMENSION, MAX_DIMENSION, (long) MAX_DIMENSION * MAX_DIMENSION);
                    case "band" -> readBand = readBand(r);
                    default -> r.skipUnknown();
                }
            }
            r.checkHeader();
            int d = MultivariateJson.required(r, "dimension", dimension);
            int n = MultivariateJson.required(r, "referenceSize", size);
            int missing = MultivariateJson.required(r, "referenceMissing", missingRows);
            PcaOptions options = MultivariateJson.required(r, "options", readOptions).build(r);
            MultivariateJson.required(r, "imputationValues", imputed);
            MultivariateJson.required(r, "means", centre);
            MultivariateJson.required(r, "scales", scale);
            MultivariateJson.required(r, "pcaMeans", pcaMean);
            MultivariateJson.required(r, "explainedVarianceRatio", ratio);
            int k = MultivariateJson.required(r, "componentCount", componentCount);
            MultivariateJson.required(r, "components", rows);
            Band band = MultivariateJson.required(r, "band", readBand).build(r);
            if (missing > n) {
                throw r.failAt("/referenceMissing", "expected at most referenceSize (" + n + ") rows, found " + missing);
            }
            int chunks;
            try {
                chunks = chunkCount(n, chunkSize(n, options), options, "referenceSize");
            } catch (IllegalArgumentException e) {
                throw r.failAt("/referenceSize", e.getMessage());
            }
            MultivariateJson.checkLength(r, "/imputationValues", imputed, d, "dimension");
            MultivariateJson.checkLength(r, "/means", centre, d, "dimension");
            MultivariateJson.checkLength(r, "/scales", scale, d, "dimension");
            MultivariateJson.checkLength(r, "/pcaMeans", pcaMean, d, "dimension");
            MultivariateJson.checkLength(r, "/explainedVarianceRatio", ratio, d, "dimension");
            PcaModel.checkParts(imputed, centre, scale, pcaMean).ifPresent(f -> {
                throw r.failAt("/" + f.field() + "/" + f.index(), f.reason());
            });
            checkRatio(r, ratio);
            if (k > d) {
                throw r.failAt("/componentCount", "expected at most dimension (" + d + ") components, found " + k);
            }
            int implied = PcaModel.componentsFor(ratio, options.minExplainedVariance());
            if (k != implied) {
                throw r.failAt("/componentCount", "expected " + implied + ", the count explainedVarianceRatio gives for"
                        + " options.minExplainedVariance " + options.minExplainedVariance() + ", found " + k);
            }
            if (rows.count() != k) {
                throw r.failAt("/components", "expected " + k + " rows (componentCount), found " + rows.count());
            }
            if (rows.width() != d) {
                throw r.failAt("/components/0", "expected " + d + " values (dimension), found " + rows.width());
            }
            checkOrthonormal(r, rows.values(), k, d);
            MultivariateJson.checkLength(r, "/band/chunkValues", band.values(), chunks,
                    "the chunks " + n + " rows give with these options");
            OptionalDouble lower = checkBand(r, band, options.stdMultiplier());
            r.endDocument();
            PcaModel model = PcaModel.of(imputed, centre, scale, pcaMean, rows.values(), ratio);
            return new PcaReconstructionDetector(options, model, d, n, missing, band.values(), band.mean(), band.std(),
                    band.upper(), lower);
        }
    }

    /** The {@code band} object as read, before its checks. */
    private record Band(double[] values, double mean, double std, OptionalDouble lower, double upper) {
    }

    /** The {@code band} object as read; its fields are required once the header is checked. */
    private record ReadBand(double[] values, Double mean, Double std, OptionalDouble lower, Double upper) {
        Band build(StrictJsonReader r) {
            return new Band(MultivariateJson.requiredAt(r, "/band/chunkValues", values),
                    MultivariateJson.requiredAt(r, "/band/mean", mean), MultivariateJson.requiredAt(r, "/band/std", std),
                    MultivariateJson.requiredAt(r, "/band/lower", lower), MultivariateJson.requiredAt(r, "/band/upper", upper));
        }
    }

    private static ReadBand readBand(StrictJsonReader r) {
        r.beginObject();
        double[] values = null;
        Double mean = null;
        Double std = null;
        OptionalDouble lower = null;
        Double upper = null;
        while (r.nextField()) {
            switch (r.field()) {
                case "chunkValues" -> values = r.doubleArray(PcaOptions.MAX_CHUNKS);
                case "mean" -> mean = r.finiteDouble();
                case "std" -> std = r.finiteDouble();
                case "lower" -> lower = r.nextIsNull() ? OptionalDouble.empty() : OptionalDouble.of(r.currentFiniteDouble());
                case "upper" -> upper = r.finiteDouble();
                default -> r.skipUnknown();
            }
        }
        return new ReadBand(values, mean, std, lower, upper);
    }

    /** The {@code options} object as read; its fields are required once the header is checked. */
    private record ReadOptions(Double share, Integer count, OptionalInt size, Double multiplier,
            PcaOptions.Incomplete incomplete) {
        PcaOptions build(StrictJsonReader r) {
            return new PcaOptions(MultivariateJson.requiredAt(r, "/options/minExplainedVariance", share),
                    MultivariateJson.requiredAt(r, "/options/chunkCount", count),
                    MultivariateJson.requiredAt(r, "/options/chunkSize", size),
                    MultivariateJson.requiredAt(r, "/options/stdMultiplier", multiplier),
                    MultivariateJson.requiredAt(r, "/options/incomplete", incomplete));
        }
    }

    private static ReadOptions readOptions(StrictJsonReader r) {
        r.beginObject();
        Double share = null;
        Integer count = null;
        OptionalInt size = null;
        Double multiplier = null;
        PcaOptions.Incomplete incomplete = null;
        while (r.nextField()) {
            switch (r.field()) {
                case "minExplainedVariance" -> {
                    share = r.finiteDouble();
                    if (!(share > 0 && share < 1)) {
                        throw r.fail("expected a share in (0, 1), found " + share);
                    }
                }
                case "chunkCount" -> count = r.intValue(2, PcaOptions.MAX_CHUNKS);
                case "chunkSize" -> size = r.nextIsNull() ? OptionalInt.empty()
                        : OptionalInt.of((int) r.currentLong(1, Integer.MAX_VALUE));
                case "stdMultiplier" -> {
                    multiplier = r.finiteDouble();
                    if (!(multiplier > 0 && multiplier <= PcaOptions.MAX_STD_MULTIPLIER)) {
                        throw r.fail("expected a multiplier in (0, " + PcaOptions.MAX_STD_MULTIPLIER + "], found "
                                + multiplier);
                    }
                }
                case "incomplete" -> {
                    String policy = r.string(100);
                    incomplete = Arrays.stream(PcaOptions.Incomplete.values()).filter(v -> v.name().equals(policy))
                            .findFirst().orElseThrow(() -> r.fail("expected one of "
                                    + Arrays.toString(PcaOptions.Incomplete.values()) + ", found " + Names.quote(policy)));
                }
                default -> r.skipUnknown();
            }
        }
        return new ReadOptions(share, count, size, multiplier, incomplete);
    }

    private static void checkRatio(StrictJsonReader r, double[] ratio) {
        double sum = 0;
        for (int i = 0; i < ratio.length; i++) {
            if (!(ratio[i] >= 0 && ratio[i] <= 1)) {
                throw r.failAt("/explainedVarianceRatio/" + i, "expected a share in [0, 1], found " + ratio[i]);
            }
            if (i > 0 && ratio[i] > ratio[i - 1]) {
                throw r.failAt("/explainedVarianceRatio/" + i, "expected at most the share before it (" + ratio[i - 1]
                        + "), found " + ratio[i]);
            }
            sum += ratio[i];
        }
        if (Math.abs(sum - 1) > LOAD_TOLERANCE) {
            throw r.failAt("/explainedVarianceRatio", "expected shares summing to 1, found a sum of " + sum);
        }
    }

    private static void checkOrthonormal(StrictJsonReader r, double[] components, int k, int d) {
        for (int a = 0; a < k; a++) {
            for (int b = 0; b <= a; b++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += components[a * d + j] * components[b * d + j];
                }
                double expected = a == b ? 1 : 0;
                if (!(Math.abs(dot - expected) <= LOAD_TOLERANCE)) {
                    throw r.failAt("/components/" + a, a == b
                            ? "expected a unit vector, found squared length " + dot
                            : "expected a vector orthogonal to components/" + b + ", found dot product " + dot);
                }
            }
        }
    }

    /** @return the lower band in use: the one read, or none for a version 1 {@code "lower":0.0} */
    private static OptionalDouble checkBand(StrictJsonReader r, Band band, double multiplier) {
        double[] values = band.values();
        for (int c = 0; c < values.length; c++) {
            if (values[c] < 0) {
                throw r.failAt("/band/chunkValues/" + c, "expected an error >= 0, found " + values[c]);
            }
        }
        double mean = band.mean();
        double std = band.std();
        double upper = band.upper();
        if (std < 0) {
            throw r.failAt("/band/std", "expected >= 0, found " + std);
        }
        double low = band.lower().orElse(0);
        if (low < 0) {
            throw r.failAt("/band/lower", "expected > 0 or null (the band is ordered 0 < lower <= mean <= upper), found "
                    + low);
        }
        if (mean < low) {
            throw r.failAt("/band/mean", "expected >= " + (band.lower().isPresent() ? "lower (" + low + ")" : "0")
                    + " (the band is ordered 0 < lower <= mean <= upper), found " + mean);
        }
        if (upper < mean) {
            throw r.failAt("/band/upper", "expected >= mean (" + mean + ") (the band is ordered 0 < lower <= mean <= upper),"
                    + " found " + upper);
        }
        double spread = std * multiplier;
        double tolerance = LOAD_TOLERANCE * (Math.abs(mean) + spread);
        if (!(Math.abs(upper - (mean + spread)) <= tolerance)) {
            throw r.failAt("/band/upper", "expected mean + options.stdMultiplier * std = " + (mean + spread) + ", found "
                    + upper);
        }
        if (band.lower().isPresent() && low > 0 && !(Math.abs(low - (mean - spread)) <= tolerance)) {
            throw r.failAt("/band/lower", "expected mean - options.stdMultiplier * std = " + (mean - spread) + ", found "
                    + low);
        }
        if (band.lower().isPresent() && low == 0 && !(mean - spread <= tolerance)) {
            throw r.failAt("/band/lower", "expected mean - options.stdMultiplier * std = " + (mean - spread) + ", found 0");
        }
        if (band.lower().isEmpty() && mean - spread > tolerance) {
            throw r.failAt("/band/lower", "expected mean - options.stdMultiplier * std = " + (mean - spread)
                    + ", found null (null only when that is at or below 0)");
        }
        return lowerBand(low);
    }
}
