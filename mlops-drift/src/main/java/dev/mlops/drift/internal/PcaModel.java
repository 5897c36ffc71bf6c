package dev.mlops.drift.internal;

import java.util.Arrays;
import java.util.Optional;

/**
 * NannyML's data-reconstruction model, fitted once on reference rows: scikit-learn's
 * {@code SimpleImputer(strategy="mean")}, {@code StandardScaler()} and {@code PCA(n_components=f)}
 * in that order, restated here.
 *
 * <ol>
 *   <li>Impute: a NaN becomes its column's mean over the reference's non-NaN values.</li>
 *   <li>Standardise: subtract the column mean of the imputed reference and divide by its population
 *       standard deviation (ddof 0). A column scikit-learn deems constant ({@code var <= n·eps·var +
 *       (n·mean·eps)²}, its {@code _is_constant_feature}) is divided by 1.</li>
 *   <li>PCA: centre the standardised reference by its own column means (zero up to rounding, kept
 *       because scikit-learn keeps them), take the eigenvectors of its covariance matrix (divisor
 *       {@code n - 1}) by decreasing eigenvalue, and keep the fewest {@code k} whose cumulative share
 *       of the total variance is strictly above {@code f}: scikit-learn's
 *       {@code searchsorted(cumsum(ratio), f, side="right") + 1}.</li>
 *   <li>Error of a row: the Euclidean norm of its standardised, centred values minus their
 *       projection on the {@code k} components.</li>
 * </ol>
 *
 * <p>scikit-learn takes the components from an SVD of the centred data; this class takes them from
 * the {@link SymmetricEigen} decomposition (Householder tridiagonalisation and implicit QR) of the
 * {@code d × d} covariance matrix, O(n d²) time and O(d²) memory instead of O(n d) memory. Both span
 * the same subspace; they agree to rounding error unless the eigenvalues at the cut are nearly equal,
 * where the subspace itself is ill-determined. Each component's sign makes its largest entry
 * positive, as scikit-learn's {@code svd_flip} does; the error does not depend on it.
 * When {@code k = d} the reconstruction is exact and the error is exactly 0, where scikit-learn
 * reports rounding noise of about 1e-16.
 *
 * <p><b>Range.</b> Every column is scaled by a power of two (exact, so ordinary data give the same
 * bits as unscaled arithmetic) before its mean and variance are summed, so no finite input
 * overflows: rows of {@code Double.MAX_VALUE} or of 1e200 fit as rows of 1 do. A column whose
 * standard deviation is below {@link Double#MIN_NORMAL} is treated as constant, as scikit-learn does
 * when the variance underflows. A standardised value (a row's distance from the reference mean in
 * reference standard deviations) beyond {@link #MAX_STANDARDISED} is refused, naming the cell: the
 * error would not be finite, and no reference row can be that far out. A failure of the eigen
 * decomposition (not seen on finite input) comes back as an {@link IllegalArgumentException}.
 *
 * <p>Immutable and thread-safe.
 */
public final class PcaModel {
    /**
     * The largest standardised value accepted, in reference standard deviations: with it every
     * error, band and sum stays finite for up to 10^5 columns and 2^31 rows.
     */
    public static final double MAX_STANDARDISED = 1e100;
    /** The ratio of a column's mean to its standard deviation above which scikit-learn deems it constant. */
    static final double MAX_MEAN_TO_SCALE = 0x1p53;
    private static final double EPS = Math.ulp(1.0);

    private final int d;
    private final double[] imputed;
    private final double[] centre;
    private final double[] scale;
    private final double[] pcaMean;
    private final int k;
    /** The kept components, row-major {@code k × d}. */
    private final double[] components;
    private final double[] explainedRatio;
    /** Per column, {@code centre · 2^-e} and {@code scale · 2^-e}, {@code e} the exponent of the scale. */
    private final double[] scaledCentre;
    private final double[] scaledScale;
    private final int[] exponent;

    private PcaModel(int d, double[] imputed, double[] centre, double[] scale, double[] pcaMean, int k,
            double[] components, double[] explainedRatio) {
        this.d = d;
        this.imputed = imputed;
        this.centre = centre;
        this.scale = scale;
        this.pcaMean = pcaMean;
        this.k = k;
        this.components = components;
        this.explainedRatio = explainedRatio;
        this.scaledCentre = new double[d];
        this.scaledScale = new double[d];
        this.exponent = new int[d];
        for (int j = 0; j < d; j++) {
            exponent[j] = Math.getExponent(scale[j]);
            scaledCentre[j] = Math.scalb(centre[j], -exponent[j]);
            scaledScale[j] = Math.scalb(scale[j], -exponent[j]);
        }
    }

    /**
     * @param rows reference rows of equal length {@code d}, at least two, finite or NaN
     * @param minExplained the variance share the components must exceed, in (0, 1)
     * @param name the argument name for messages
     * @return the fitted model
     * @throws IllegalArgumentException when a column has no values, every column is constant, a
     *     standardised reference value passes {@link #MAX_STANDARDISED} (a column scikit-learn deems
     *     constant whose values still differ by more than that), or the eigen decomposition fails
     */
    public static PcaModel fit(double[][] rows, double minExplained, String name) {
        int n = rows.length;
        int d = rows[0].length;
        // A power of two per column brings its largest magnitude into [1, 2): sums of n such values
        // cannot overflow, and scaling by a power of two is exact.
        int[] shift = new int[d];
        double[] largest = new double[d];
        double[] min = new double[d];
        double[] max = new double[d];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                if (!Double.isNaN(row[j])) {
                    largest[j] = Math.max(largest[j], Math.abs(row[j]));
                    min[j] = Math.min(min[j], row[j]);
                    max[j] = Math.max(max[j], row[j]);
                }
            }
        }
        for (int j = 0; j < d; j++) {
            shift[j] = largest[j] >= Double.MIN_NORMAL ? -Math.getExponent(largest[j]) : 0;
        }
        double[] imputed = new double[d];
        long[] present = new long[d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                if (!Double.isNaN(row[j])) {
                    imputed[j] += Math.scalb(row[j], shift[j]);
                    present[j]++;
                }
            }
        }
        for (int j = 0; j < d; j++) {
            if (present[j] == 0) {
                throw new IllegalArgumentException(name + ": column " + j + " has no values, only NaN; nothing to impute"
                        + " it with");
            }
            imputed[j] /= present[j];
        }
        double[] centre = new double[d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                centre[j] += scaled(row[j], shift[j], imputed[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            centre[j] /= n;
        }
        double[] variance = new double[d];
        double[] correction = new double[d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                double t = scaled(row[j], shift[j], imputed[j]) - centre[j];
                variance[j] += t * t;
                correction[j] += t;
            }
        }
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            // Two-pass variance with the rounding correction of the first pass, as scikit-learn does.
            double var = (variance[j] - correction[j] * correction[j] / n) / n;
            double bound = n * EPS * var + Math.pow(n * centre[j] * EPS, 2);
            double std = Math.scalb(Math.sqrt(var), -shift[j]);
            scale[j] = var <= bound || !(std >= Double.MIN_NORMAL) ? 1.0 : std;
            imputed[j] = Math.scalb(imputed[j], -shift[j]);
            centre[j] = Math.scalb(centre[j], -shift[j]);
            if (min[j] == max[j]) {
                // The mean of equal values is that value, though a rounded sum may miss it by an ulp;
                // with divisor 1 that ulp (1e292 near Double.MAX_VALUE) would be the standardised value.
                imputed[j] = min[j];
                centre[j] = min[j];
                scale[j] = 1.0;
            }
        }
        PcaModel standardiser = new PcaModel(d, imputed, centre, scale, new double[d], 0, new double[0], new double[0]);
        double[] pcaMean = new double[d];
        double[] z = new double[d];
        for (int r = 0; r < n; r++) {
            standardiser.standardise(rows[r], z, name, r);
            for (int j = 0; j < d; j++) {
                pcaMean[j] += z[j];
            }
        }
        for (int j = 0; j < d; j++) {
            pcaMean[j] /= n;
        }
        double[][] covariance = new double[d][d];
        for (int r = 0; r < n; r++) {
            standardiser.standardise(rows[r], z, name, r);
            for (int a = 0; a < d; a++) {
                z[a] -= pcaMean[a];
            }
            for (int a = 0; a < d; a++) {
                double za = z[a];
                double[] line = covariance[a];
                for (int b = 0; b <= a; b++) {
                    line[b] += za * z[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                covariance[a][b] /= n - 1;
                covariance[b][a] = covariance[a][b];
            }
        }
        double[] values;
        double[][] vectors;
        try {
            SymmetricEigen eigen = SymmetricEigen.of(covariance);
            values = eigen.values();
            vectors = new double[d][];
            for (int i = 0; i < d; i++) {
                vectors[i] = eigen.vector(i);
            }
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": the eigen decomposition of the " + d + " x " + d
                    + " covariance matrix of the standardised columns failed (" + e.getMessage()
                    + "); the columns may be nearly collinear or of wildly different spread", e);
        }
        double total = 0;
        for (double v : values) {
            total += Math.max(v, 0);
        }
        if (!(total > 0 && total < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + ": every column is constant, so there is no variance to model");
        }
        double[] ratio = new double[d];
        for (int i = 0; i < d; i++) {
            ratio[i] = Math.max(values[i], 0) / total;
        }
        int k = componentsFor(ratio, minExplained);
        double[] components = new double[k * d];
        for (int i = 0; i < k; i++) {
            double[] v = vectors[i];
            for (int j = 0; j < d; j++) {
                components[i * d + j] = v[j];
                if (!Double.isFinite(v[j])) {
                    throw new IllegalArgumentException(name + ": the eigen decomposition of the covariance matrix gave a"
                            + " non-finite component; the columns may be nearly collinear or of wildly different spread");
                }
            }
        }
        return new PcaModel(d, imputed, centre, scale, pcaMean, k, components, ratio);
    }

    private static double scaled(double v, int shift, double imputedScaled) {
        return Double.isNaN(v) ? imputedScaled : Math.scalb(v, shift);
    }

    /**
     * Restores a fitted model from its parts, as {@link #fit} computed them and the accessors return
     * them; the caller has checked them with {@link #checkParts}.
     *
     * @param imputed the values that replace NaN, per column
     * @param centre the column means of the imputed reference
     * @param scale the column divisors, each finite and at least {@link Double#MIN_NORMAL}
     * @param pcaMean the column means of the standardised reference
     * @param components the kept components, row-major {@code k × d}, orthonormal
     * @param explainedRatio the variance share of each of the {@code d} principal axes, largest first
     * @return the model; the arrays are copied
     */
    public static PcaModel of(double[] imputed, double[] centre, double[] scale, double[] pcaMean, double[] components,
            double[] explainedRatio) {
        int d = imputed.length;
        return new PcaModel(d, imputed.clone(), centre.clone(), scale.clone(), pcaMean.clone(), components.length / d,
                components.clone(), explainedRatio.clone());
    }

    /**
     * Checks, column by column, that saved standardisation parts are ones {@link #fit} can produce,
     * so that every finite row standardises to a finite value or is refused by name.
     *
     * @param imputed the values that replace NaN
     * @param centre the column means
     * @param scale the column divisors
     * @param pcaMean the means of the standardised reference
     * @return empty when they are consistent; else the field and index at fault and the reason
     */
    public static Optional<Fault> checkParts(double[] imputed, double[] centre, double[] scale, double[] pcaMean) {
        for (int j = 0; j < scale.length; j++) {
            if (!(scale[j] >= Double.MIN_NORMAL)) {
                return Optional.of(new Fault("scales", j, "expected a divisor of at least " + Double.MIN_NORMAL
                        + " (a smaller standard deviation is treated as constant, divisor 1), found " + scale[j]));
            }
            int e = Math.getExponent(scale[j]);
            if (scale[j] != 1.0 && !(Math.abs(Math.scalb(centre[j], -e)) / Math.scalb(scale[j], -e) <= MAX_MEAN_TO_SCALE)) {
                return Optional.of(new Fault("scales", j, "expected a divisor of at least |mean| / 2^53 = "
                        + Math.abs(centre[j]) / MAX_MEAN_TO_SCALE + " (a column whose mean is further out in standard"
                        + " deviations is constant, divisor 1), found " + scale[j]));
            }
            double z = (Math.scalb(imputed[j], -e) - Math.scalb(centre[j], -e)) / Math.scalb(scale[j], -e);
            if (!(Math.abs(z) <= MAX_STANDARDISED)) {
                return Optional.of(new Fault("imputationValues", j, "expected a value within " + MAX_STANDARDISED
                        + " standard deviations (scales) of the column mean (means), found " + imputed[j]));
            }
            if (!(Math.abs(pcaMean[j]) <= MAX_STANDARDISED)) {
                return Optional.of(new Fault("pcaMeans", j, "expected a standardised mean within "
                        + MAX_STANDARDISED + " of 0, found " + pcaMean[j]));
            }
        }
        return Optional.empty();
    }

    /**
     * A saved part that {@link #fit} cannot have produced.
     *
     * @param field the field of the saved format
     * @param index the column
     * @param reason what was expected and found
     */
    public record Fault(String field, int index, String reason) {
    }

    /**
     * The number of components {@link #fit} keeps for these variance shares: the fewest whose
     * cumulative share is strictly above {@code minExplained}, summed in order, at most all of them.
     *
     * @param explainedRatio shares of the principal axes, largest first, at least one
     * @param minExplained the share to exceed, in (0, 1)
     * @return the number of components, in {@code [1, explainedRatio.length]}
     */
    public static int componentsFor(double[] explainedRatio, double minExplained) {
        int k = 1;
        double cumulative = 0;
        for (int i = 0; i < explainedRatio.length; i++) {
            cumulative += explainedRatio[i];
            if (cumulative <= minExplained) {
                k = i + 2;
            }
        }
        return Math.min(k, explainedRatio.length);
    }

    /** @return the number of principal components kept */
    public int components() {
        return k;
    }

    /** @return the column means of the imputed reference, which standardising subtracts (a copy) */
    public double[] centre() {
        return centre.clone();
    }

    /**
     * @return the column divisors of standardising: the population standard deviation, 1 for a
     *     constant column (a copy)
     */
    public double[] scale() {
        return scale.clone();
    }

    /** @return the column means of the standardised reference, which PCA subtracts (a copy) */
    public double[] pcaMean() {
        return pcaMean.clone();
    }

    /** @return the kept components, row-major {@code k × d}, largest variance first (a copy) */
    public double[] componentVectors() {
        return components.clone();
    }

    /** @return the share of the reference variance along each principal axis, largest first (a copy) */
    public double[] explainedVarianceRatio() {
        return explainedRatio.clone();
    }

    /** @return the values that replace NaN, per column (a copy) */
    public double[] imputationValues() {
        return imputed.clone();
    }

    /**
     * @param rows rows of length {@code d}, finite or NaN
     * @param from first row, inclusive
     * @param to last row, exclusive, greater than {@code from}
     * @param name the argument holding the rows, for messages
     * @return the mean reconstruction error of those rows, finite and at least 0
     * @throws IllegalArgumentException naming the cell, when a value standardises beyond
     *     {@link #MAX_STANDARDISED}
     */
    public double meanError(double[][] rows, int from, int to, String name) {
        double[] z = new double[d];
        double[] t = new double[k];
        double sum = 0;
        for (int r = from; r < to; r++) {
            sum += error(rows[r], z, t, name, r);
        }
        return sum / (to - from);
    }

    private double error(double[] row, double[] z, double[] t, String name, int index) {
        standardise(row, z, name, index);
        if (k == d) {
            return 0.0;
        }
        for (int j = 0; j < d; j++) {
            z[j] -= pcaMean[j];
        }
        for (int i = 0; i < k; i++) {
            double s = 0;
            int base = i * d;
            for (int j = 0; j < d; j++) {
                s += components[base + j] * z[j];
            }
            t[i] = s;
        }
        double squares = 0;
        for (int j = 0; j < d; j++) {
            double back = 0;
            for (int i = 0; i < k; i++) {
                back += t[i] * components[i * d + j];
            }
            double residual = z[j] - back;
            squares += residual * residual;
        }
        return Math.sqrt(squares);
    }

    /**
     * {@code (v - centre) / scale}, computed as {@code (v 2^-e - centre 2^-e) / (scale 2^-e)} with
     * {@code e} the scale's exponent: the same bits where nothing overflows, and a value that would
     * overflow is one beyond {@link #MAX_STANDARDISED}, refused.
     */
    private void standardise(double[] row, double[] out, String name, int index) {
        for (int j = 0; j < d; j++) {
            double v = Double.isNaN(row[j]) ? imputed[j] : row[j];
            double z = (Math.scalb(v, -exponent[j]) - scaledCentre[j]) / scaledScale[j];
            if (!(Math.abs(z) <= MAX_STANDARDISED)) {
                throw new IllegalArgumentException(name + "[" + index + "][" + j + "] is " + row[j] + ", more than "
                        + MAX_STANDARDISED + " reference standard deviations (" + scale[j] + ") from the reference mean ("
                        + centre[j] + "); the reconstruction error would not be finite");
            }
            out[j] = z;
        }
    }
}
