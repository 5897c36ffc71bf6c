package dev.mlops.drift.internal;

/**
 * Linear least squares by Householder QR (Golub and Van Loan, Matrix Computations, 4th ed., algorithms
 * 5.2.1 and 5.3.2): {@code A = QR}, then {@code R x = (Qᵀ b)} for the first n rows by back
 * substitution. Backward stable: the solution is the exact least-squares solution of a problem within
 * a small multiple of {@code m n 2^-53} of {@code (A, b)}, so its relative error is about that times
 * the condition number of A. Stateless and thread-safe.
 */
final class HouseholderQr {
    private HouseholderQr() {
    }

    /**
     * The x that minimises {@code ||A x - b||₂}, for an m × n matrix A of full column rank, m >= n.
     * Neither argument is modified.
     *
     * @throws IllegalArgumentException if the shapes do not fit, or A is rank deficient to working
     *     precision: a diagonal entry of R at most {@code m · 2^-52} times A's largest column norm
     */
    static double[] leastSquares(double[][] a, double[] b) {
        int m = a.length;
        int n = m == 0 ? 0 : a[0].length;
        if (m < n || b.length != m) {
            throw new IllegalArgumentException("least squares needs an m x n matrix with m >= n and m right-hand"
                    + " sides: got " + m + " x " + n + " and " + b.length);
        }
        double[][] r = new double[m][];
        for (int i = 0; i < m; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("row " + i + " of the matrix has " + a[i].length + " entries, not " + n);
            }
            r[i] = a[i].clone();
        }
        double[] y = b.clone();
        double[] v = new double[m];
        double largestColumn = 0;
        for (int j = 0; j < n; j++) {
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm = Math.hypot(norm, r[i][j]);
            }
            largestColumn = Math.max(largestColumn, norm);
        }
        // A column whose part orthogonal to the ones before it is within rounding of 0 makes the
        // solution meaningless, not merely inaccurate.
        double negligible = m * 0x1p-52 * largestColumn;
        for (int k = 0; k < n; k++) {
            // H = I - 2 v vᵀ / (vᵀ v) with v = x - beta e_1 maps x = r[k..m-1][k] to beta e_1; beta takes
            // the sign opposite to x_0 so that v_0 = x_0 - beta does not cancel.
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm = Math.hypot(norm, r[i][k]);
            }
            if (norm <= negligible) {
                throw new IllegalArgumentException("least squares: column " + k + " is a combination of the ones"
                        + " before it, so the solution is not unique");
            }
            double beta = -Math.copySign(norm, r[k][k]);
            double vv = 0;
            for (int i = k; i < m; i++) {
                v[i] = r[i][k];
            }
            v[k] -= beta;
            for (int i = k; i < m; i++) {
                vv += v[i] * v[i];
            }
            double twoOverVv = 2 / vv;
            for (int j = k + 1; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += v[i] * r[i][j];
                }
                double f = twoOverVv * dot;
                for (int i = k; i < m; i++) {
                    r[i][j] -= f * v[i];
                }
            }
            double dot = 0;
            for (int i = k; i < m; i++) {
                dot += v[i] * y[i];
            }
            double f = twoOverVv * dot;
            for (int i = k; i < m; i++) {
                y[i] -= f * v[i];
            }
            r[k][k] = beta;
        }
        double[] x = new double[n];
        for (int k = n - 1; k >= 0; k--) {
            double sum = y[k];
            for (int j = k + 1; j < n; j++) {
                sum -= r[k][j] * x[j];
            }
            x[k] = sum / r[k][k];
        }
        return x;
    }
}
