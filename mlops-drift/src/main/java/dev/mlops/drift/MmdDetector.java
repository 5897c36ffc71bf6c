package dev.mlops.drift;

import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.dataset.MultivariateDriftDetector;
import dev.mlops.core.internal.JsonFormat;
import dev.mlops.core.internal.StrictJsonReader;
import dev.mlops.drift.internal.MmdKernel;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Maximum mean discrepancy (MMD) two-sample test with a Gaussian RBF kernel and a permutation
 * p-value, reproducing Alibi Detect's {@code MMDDrift} (Gretton et al., "A kernel two-sample test",
 * JMLR 2012).
 *
 * <p><b>Statistic.</b> With reference rows {@code x₁..xₙ}, current rows {@code y₁..yₘ} and
 * {@code k(a, b) = exp(-|a - b|² / (2σ²))}, the unbiased estimator Alibi computes:
 * <pre>
 *   MMD² = Σ_{i≠j} k(xᵢ, xⱼ) / (n (n - 1)) + Σ_{i≠j} k(yᵢ, yⱼ) / (m (m - 1)) - 2 Σ_{i,j} k(xᵢ, yⱼ) / (n m)
 * </pre>
 * It estimates the squared RKHS distance between the two distributions' mean embeddings without
 * bias, and so can be negative (down to {@code -(1/n + 1/m)}) when the samples are alike; it is
 * symmetric in the two samples and invariant to row order. Reported as the {@link DriftResult}'s
 * statistic.
 *
 * <p><b>Bandwidth.</b> Unless {@link MmdOptions#sigma()} fixes it, σ comes from the median
 * heuristic on the reference alone, once, as Alibi's default {@code configure_kernel_from_x_ref=True}
 * does: {@code σ = sqrt(m / 2)} where {@code m} is the lower median of the squared distances
 * between distinct pairs of reference rows (so {@code 2σ²} is that median). Columns are not
 * rescaled: as in Alibi, a column with a large spread dominates the distance, so standardise the
 * columns first when their units differ.
 *
 * <p><b>P-value.</b> The reference and current rows are pooled and split at random into parts of
 * the original sizes {@link MmdOptions#permutations()} times; the p-value is the share of permuted
 * statistics at least as large as the observed one, {@code #{b : observed <= permuted_b} / B},
 * Alibi's {@code (mmd2 <= mmd2_permuted).mean()}, without the {@code +1} of Phipson and Smyth, so
 * it can be 0. Drift when it is strictly below {@link MmdOptions#pValue()}
 * ({@link Rule#P_VALUE_BELOW}). Under the null hypothesis (same distribution) the test is exact up
 * to Monte Carlo error: observed and permuted statistics are exchangeable, so it flags drift with
 * probability {@code ceil(αB) / (B + 1)}, 5/101 at the defaults; the p-value's own Monte Carlo
 * standard error is
 * {@code sqrt(p (1 - p) / B)}, 0.022 at p = 0.05 and B = 100. The split is drawn by a
 * {@link java.util.SplittableRandom} from the seed, so a test repeats exactly; its draws differ
 * from {@code torch.randperm}'s, so the p-value matches Alibi's in distribution, not digit for digit.
 * The statistic and the bandwidth match Alibi's to rounding error.
 *
 * <p><b>Missing values.</b> Alibi accepts no NaN. Here a row with any NaN is left out of the test,
 * in the reference and in the current table alike, and counted: the {@link DriftResult}'s sizes are
 * complete rows, its missing counts are rows left out. Imputing would put mass at one point and
 * make a table with more missing values look drifted. Infinite values are rejected.
 *
 * <p><b>Limits.</b> Each side holds at most {@value #MAX_ROWS} complete rows of at most
 * {@value #MAX_DIMENSION} columns and {@value #MAX_VALUES} values in all; a larger table is refused
 * with the limit named (subsample it: the test's power grows slowly past a few thousand rows). The
 * options have their own ranges ({@link MmdOptions}). Within the limits, preparing, loading and
 * testing fit a 256 MB heap.
 *
 * <p><b>Cost.</b> Memory is linear in the rows: no kernel matrix is kept. Preparing: the rows
 * ({@code 8 n d} bytes) and, for the median heuristic, two to five passes over the
 * {@code n (n - 1) / 2} pairwise distances, O(n² d) time. Each test: the pooled kernel, one row at a
 * time, O((n + m)² d) time; one bit per pooled row and permutation ({@code B (n + m) / 8} bytes);
 * and {@code B · min(n, m)² / 2} additions for the permutations. On one core, with 100 permutations
 * and 5 columns, 1,000 rows a side take about 0.2 s, 2,000 about 0.5 s, {@value #MAX_ROWS} about ten
 * seconds; a large reference against small tables is cheap (5,000 against 200: about 50 ms).
 *
 * <p><b>Saving.</b> {@link #toJson()} writes the prepared reference (its complete rows, the
 * bandwidth and the options) and {@link #fromJson(String)} reads it back into a detector that gives
 * bit-identical results, so a reference prepared once from training data can be shipped to every
 * replica.
 *
 * <p>Immutable and thread-safe: the prepared reference is never written after construction and each
 * test draws from its own generator.
 *
 * <pre>{@code
 * MmdDetector mmd = MultivariateDrift.mmd(referenceRows);   // p 0.05, 100 permutations, seed 0
 * DriftResult r = mmd.detect(currentRows);
 * MmdResult detail = mmd.test(currentRows, 42L);            // another seed, with sigma and threshold
 * String saved = mmd.toJson();                               // on a replica: MmdDetector.fromJson(saved)
 * }</pre>
 */
public final class MmdDetector implements MultivariateDriftDetector {
    /** The {@link DriftResult#method()} of this detector. */
    public static final String METHOD = "mmd";
    /** The {@code format} field of {@link #toJson()}. */
    public static final String FORMAT = "mlops.drift.mmd-reference";
    /** The format version {@link #toJson()} writes and {@link #fromJson(String)} reads. */
    public static final int FORMAT_VERSION = 1;
    /**
     * The most complete rows of the reference, and of a current table: the test's time grows with
     * the square of the pooled rows (see the class's cost), so a larger sample is refused; subsample it.
     */
    public static final int MAX_ROWS = 10_000;
    /** The most columns of a row. */
    public static final int MAX_DIMENSION = 10_000;
    /**
     * The most values (complete rows × columns) of the reference, and of a current table: 8 MB of
     * doubles each, and a bound on the kernel's O((n + m)² d) time.
     */
    public static final int MAX_VALUES = 1_000_000;
    /**
     * The longest document {@link #fromJson(String)} reads, in characters (64 MiB, as the other drift
     * references): {@value #MAX_VALUES} values take about 25 MB as written.
     */
    public static final int MAX_JSON_CHARS = 64 << 20;
    private static final String DOCUMENT = "mmd reference JSON";
    private static final JsonFormat JSON = new JsonFormat(FORMAT, FORMAT_VERSION);

    private final MmdOptions options;
    private final MmdKernel kernel;
    private final int d;
    private final int referenceMissing;

    private MmdDetector(MmdOptions options, MmdKernel kernel, int d, int referenceMissing) {
        this.options = options;
        this.kernel = kernel;
        this.d = d;
        this.referenceMissing = referenceMissing;
    }

    /**
     * Prepares the reference: drops rows with a NaN, computes the bandwidth (unless given) and the
     * reference kernel values.
     *
     * @param referenceRows reference table, {@code n × d}, at least two complete rows; copied
     * @param options level, permutations, seed and bandwidth
     * @return the detector
     * @throws IllegalArgumentException when rows are ragged or empty, a value is infinite, fewer than
     *     two rows are complete, a limit ({@value #MAX_ROWS} rows, {@value #MAX_DIMENSION} columns,
     *     {@value #MAX_VALUES} values) is passed, or the median heuristic gives bandwidth 0 (at least
     *     half the pairs of rows coincide: set {@link MmdOptions#withSigma}) or one outside the range
     *     of {@link MmdOptions#sigma()} (rescale the columns)
     */
    public static MmdDetector of(double[][] referenceRows, MmdOptions options) {
        Objects.requireNonNull(options, "options");
        int d = MultivariateRows.check("referenceRows", referenceRows, -1, 1);
        int missing = MultivariateRows.rowsWithMissing(referenceRows);
        checkCount("referenceRows", referenceRows.length - missing, missing, d);
        double[] rows = MultivariateRows.completeRowsFlat(referenceRows, d);
        MmdKernel kernel = options.sigma().isPresent()
                ? MmdKernel.withSigma(rows, d, options.sigma().getAsDouble())
                : MmdKernel.withMedianHeuristic(rows, d, MmdOptions.MIN_SIGMA, MmdOptions.MAX_SIGMA, "referenceRows");
        return new MmdDetector(options, kernel, d, missing);
    }

    /**
     * Tests with the options' seed.
     *
     * @param currentRows rows of length {@link #dimension()}, at least two complete; read, not kept
     * @return method {@code "mmd"}, the unbiased MMD², the permutation p-value, threshold
     *     {@link MmdOptions#pValue()} and {@link Rule#P_VALUE_BELOW}
     * @throws IllegalArgumentException as {@link #test(double[][], long)}
     */
    @Override
    public DriftResult detect(double[][] currentRows) {
        return test(currentRows, options.seed()).result();
    }

    /**
     * @param currentRows rows of length {@link #dimension()}, at least two complete; read, not kept
     * @param seed seeds the permutations; the same seed and rows give the same result
     * @return the verdict with the bandwidth and Alibi's distance threshold
     * @throws IllegalArgumentException when a row has the wrong length or an infinite value, fewer
     *     than two rows are complete, or more than {@value #MAX_ROWS} or {@value #MAX_VALUES} values
     */
    public MmdResult test(double[][] currentRows, long seed) {
        MultivariateRows.check("currentRows", currentRows, d, 1);
        int missing = MultivariateRows.rowsWithMissing(currentRows);
        int m = currentRows.length - missing;
        checkCount("currentRows", m, missing, d);
        double[] rows = MultivariateRows.completeRowsFlat(currentRows, d);
        MmdKernel.Scores scores = kernel.score(rows, options.permutations(), seed);
        double[] permuted = scores.permuted();
        double observed = scores.observed();
        int atLeast = 0;
        for (double p : permuted) {
            if (observed <= p) {
                atLeast++;
            }
        }
        double pValue = (double) atLeast / permuted.length;
        Arrays.sort(permuted);
        int index = (int) (options.pValue() * permuted.length);
        double distanceThreshold = permuted[permuted.length - 1 - index];
        DriftResult result = new DriftResult(METHOD, observed, OptionalDouble.of(pValue), options.pValue(),
                Rule.P_VALUE_BELOW, kernel.size(), m, referenceMissing, missing);
        return new MmdResult(result, kernel.sigma(), distanceThreshold, seed);
    }

    /** @return the number of columns every row must have */
    @Override
    public int dimension() {
        return d;
    }

    /** @return the Gaussian kernel bandwidth σ: given, or from the median heuristic */
    public double sigma() {
        return kernel.sigma();
    }

    /** @return the options this detector was built with */
    public MmdOptions options() {
        return options;
    }

    /** @return the number of complete reference rows the test uses */
    public int referenceSize() {
        return kernel.size();
    }

    /** @return the number of reference rows left out for a NaN */
    public int referenceMissing() {
        return referenceMissing;
    }

    /**
     * Saves the prepared reference. Format {@value #FORMAT}, version {@value #FORMAT_VERSION}, one
     * object with these fields (in this order when written, in any order when read):
     * <pre>{@code
     * {"format":"mlops.drift.mmd-reference","version":1,
     *  "dimension":2,                   // d, the length of every row
     *  "referenceMissing":1,            // reference rows left out for a NaN when it was prepared
     *  "sigma":1.0606601717798212,      // the bandwidth in use: given or from the median heuristic
     *  "options":{"pValue":0.05,"permutations":100,"seed":0,
     *             "sigma":null},        // null: median heuristic; else the fixed bandwidth
     *  "rows":[[0.0,1.0],[1.5,-0.25],[0.75,1.0]]}   // the complete reference rows, n x d
     * }</pre>
     * Only what cannot be derived is stored: the kernel matrix is recomputed from the rows and
     * {@code sigma} on load (O(n² d)). Numbers are written as {@link Double#toString} writes them,
     * which reads back to the same double, so the loaded detector gives bit-identical statistics,
     * p-values (for the same seed) and thresholds. The text is about {@code 20 n d} characters.
     *
     * @return the reference as compact JSON
     */
    public String toJson() {
        double[] rows = kernel.referenceRows();
        return JSON.writeCompact(g -> {
            g.writeNumberField("dimension", d);
            g.writeNumberField("referenceMissing", referenceMissing);
            g.writeNumberField("sigma", kernel.sigma());
            g.writeObjectFieldStart("options");
            g.writeNumberField("pValue", options.pValue());
            g.writeNumberField("permutations", options.permutations());
            g.writeNumberField("seed", options.seed());
            g.writeFieldName("sigma");
            if (options.sigma().isPresent()) {
                g.writeNumber(options.sigma().getAsDouble());
            } else {
                g.writeNull();
            }
            g.writeEndObject();
            g.writeArrayFieldStart("rows");
            for (int from = 0; from < rows.length; from += d) {
                g.writeNumbers(rows, from, from + d);
            }
            g.writeEndArray();
        });
    }

    /**
     * Loads a reference saved by {@link #toJson()}; the reference is not re-processed (no rows
     * dropped, no bandwidth chosen again). Read strictly (see {@link dev.mlops.core.InvalidFormatException}):
     * fields in any order, each once, of its type, unknown fields refused, nothing after the object,
     * and every size checked against its limit before it is stored: at most {@value #MAX_JSON_CHARS}
     * characters, {@value #MAX_DIMENSION} columns, {@value #MAX_ROWS} rows, {@value #MAX_VALUES} values,
     * {@value MmdOptions#MAX_PERMUTATIONS} permutations.
     *
     * @param json a document in format {@value #FORMAT}, version {@value #FORMAT_VERSION}
     * @return a detector equal in every result to the one that saved it
     * @throws dev.mlops.core.InvalidFormatException naming the field's JSON Pointer and the character
     *     offset, when the text is not well-formed JSON, the format or version differs, a field is
     *     missing, repeated, unknown or of the wrong type, a number is not finite or out of its range,
     *     a size passes its limit, a row's length is not {@code dimension}, there are fewer than 2
     *     rows, or {@code options.sigma} is given and differs from {@code sigma}
     */
    public static MmdDetector fromJson(String json) {
        try (StrictJsonReader r = JSON.reader(DOCUMENT, json, MAX_JSON_CHARS)) {
            r.beginObject();
            Integer d = null;
            Integer missing = null;
            Double sigma = null;
            ReadOptions options = null;
            MultivariateJson.Rows rows = null;
            while (r.nextField()) {
                switch (r.field()) {
                    case "dimension" -> d = r.intValue(1, MAX_DIMENSION);
                    case "referenceMissing" -> missing = r.intValue(0, Integer.MAX_VALUE);
                    case "sigma" -> sigma = sigma(r);
                    case "options" -> options = readOptions(r);
                    case "rows" -> rows = MultivariateJson.rows(r, "/rows", d == null ? -1 : d, "dimension", MAX_ROWS,
                            MAX_DIMENSION, MAX_VALUES);
                    default -> r.skipUnknown();
                }
            }
            r.checkHeader();
            int dimension = MultivariateJson.required(r, "dimension", d);
            int referenceMissing = MultivariateJson.required(r, "referenceMissing", missing);
            double bandwidth = MultivariateJson.required(r, "sigma", sigma);
            MmdOptions readOptions = MultivariateJson.required(r, "options", options).build(r);
            MultivariateJson.required(r, "rows", rows);
            if (rows.count() > 0 && rows.width() != dimension) {
                throw r.failAt("/rows/0", "expected " + dimension + " values (dimension), found " + rows.width());
            }
            if (rows.count() < 2) {
                throw r.failAt("/rows", "expected at least 2 rows, found " + rows.count());
            }
            if (readOptions.sigma().isPresent() && Double.compare(readOptions.sigma().getAsDouble(), bandwidth) != 0) {
                throw r.failAt("/sigma", "expected options.sigma (" + readOptions.sigma().getAsDouble()
                        + ") when the bandwidth was fixed, found " + bandwidth);
            }
            r.endDocument();
            return new MmdDetector(readOptions, MmdKernel.withSigma(rows.values(), dimension, bandwidth), dimension,
                    referenceMissing);
        }
    }

    private static double sigma(StrictJsonReader r) {
        double sigma = r.finiteDouble();
        try {
            MmdOptions.checkSigma("sigma", sigma);
        } catch (IllegalArgumentException e) {
            throw r.fail("expected a bandwidth in [" + MmdOptions.MIN_SIGMA + ", " + MmdOptions.MAX_SIGMA + "], found "
                    + sigma);
        }
        return sigma;
    }

    /** The {@code options} object as read; its fields are required once the header is checked. */
    private record ReadOptions(Double pValue, Integer permutations, Long seed, OptionalDouble sigma) {
        MmdOptions build(StrictJsonReader r) {
            return new MmdOptions(MultivariateJson.requiredAt(r, "/options/pValue", pValue),
                    MultivariateJson.requiredAt(r, "/options/permutations", permutations),
                    MultivariateJson.requiredAt(r, "/options/seed", seed),
                    MultivariateJson.requiredAt(r, "/options/sigma", sigma));
        }
    }

    private static ReadOptions readOptions(StrictJsonReader r) {
        r.beginObject();
        Double pValue = null;
        Integer permutations = null;
        Long seed = null;
        OptionalDouble sigma = null;
        while (r.nextField()) {
            switch (r.field()) {
                case "pValue" -> {
                    pValue = r.finiteDouble();
                    if (!(pValue > 0 && pValue < 1)) {
                        throw r.fail("expected a level in (0, 1), found " + pValue);
                    }
                }
                case "permutations" -> permutations = r.intValue(1, MmdOptions.MAX_PERMUTATIONS);
                case "seed" -> seed = r.longValue(Long.MIN_VALUE, Long.MAX_VALUE);
                case "sigma" -> sigma = r.nextIsNull() ? OptionalDouble.empty() : OptionalDouble.of(currentSigma(r));
                default -> r.skipUnknown();
            }
        }
        return new ReadOptions(pValue, permutations, seed, sigma);
    }

    private static double currentSigma(StrictJsonReader r) {
        double sigma = r.currentFiniteDouble();
        if (!(sigma >= MmdOptions.MIN_SIGMA && sigma <= MmdOptions.MAX_SIGMA)) {
            throw r.fail("expected null or a bandwidth in [" + MmdOptions.MIN_SIGMA + ", " + MmdOptions.MAX_SIGMA
                    + "], found " + sigma);
        }
        return sigma;
    }

    private static void checkCount(String name, int complete, int missing, int d) {
        if (complete < 2) {
            throw new IllegalArgumentException(name + " must have at least 2 complete rows (without NaN) for the"
                    + " unbiased MMD², had " + complete + " (" + missing + " left out for NaN)");
        }
        if (complete > MAX_ROWS) {
            throw new IllegalArgumentException(name + " must have at most " + MAX_ROWS + " complete rows (MAX_ROWS:"
                    + " the test's time grows with the square of the rows), had " + complete + "; subsample");
        }
        if (d > MAX_DIMENSION) {
            throw new IllegalArgumentException(name + " rows must have at most " + MAX_DIMENSION
                    + " columns (MAX_DIMENSION), had " + d);
        }
        if ((long) complete * d > MAX_VALUES) {
            throw new IllegalArgumentException(name + " must hold at most " + MAX_VALUES + " values in its complete rows"
                    + " (MAX_VALUES), had " + complete + " x " + d + " = " + (long) complete * d + "; subsample");
        }
    }
}
