package dev.mlops.drift;

import java.util.Objects;

/**
 * Checks and summarises the row-major {@code double[][]} tables the multivariate detectors take.
 * Package-private: each detector states its own NaN policy on top of these counts.
 */
final class MultivariateRows {
    private MultivariateRows() {
    }

    /**
     * @param name the argument name for messages
     * @param rows the table; rows must all have the same, non-zero length
     * @param dimension the required row length, or {@code -1} to take the first row's
     * @param minRows the fewest rows accepted
     * @return the row length
     * @throws IllegalArgumentException on ragged or empty rows, too few rows, a wrong row length or
     *     an infinite value
     * @throws NullPointerException when the table or a row is null
     */
    static int check(String name, double[][] rows, int dimension, int minRows) {
        Objects.requireNonNull(rows, name);
        if (rows.length < minRows) {
            throw new IllegalArgumentException(name + " must have at least " + minRows + (minRows == 1 ? " row" : " rows")
                    + ", had " + rows.length);
        }
        int d = dimension;
        for (int i = 0; i < rows.length; i++) {
            double[] row = rows[i];
            if (row == null) {
                throw new NullPointerException(name + "[" + i + "]");
            }
            if (d < 0) {
                d = row.length;
                if (d == 0) {
                    throw new IllegalArgumentException(name + " rows must have at least one column, row 0 had none");
                }
            }
            if (row.length != d) {
                throw new IllegalArgumentException(
                        name + "[" + i + "] must have " + d + " columns, had " + row.length);
            }
            for (int j = 0; j < d; j++) {
                if (Double.isInfinite(row[j])) {
                    throw new IllegalArgumentException(name + "[" + i + "][" + j + "] must be finite or NaN (missing), was "
                            + row[j]);
                }
            }
        }
        return d;
    }

    /** @return whether the row holds a NaN */
    static boolean hasMissing(double[] row) {
        for (double v : row) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    /** @return the number of rows holding at least one NaN */
    static int rowsWithMissing(double[][] rows) {
        int count = 0;
        for (double[] row : rows) {
            if (hasMissing(row)) {
                count++;
            }
        }
        return count;
    }

    /** @return the number of NaN cells */
    static long missingValues(double[][] rows) {
        long count = 0;
        for (double[] row : rows) {
            for (double v : row) {
                if (Double.isNaN(v)) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * @return the rows without a NaN, flattened row after row ({@code complete.length / d} rows)
     */
    static double[] completeRowsFlat(double[][] rows, int d) {
        double[] out = new double[(rows.length - rowsWithMissing(rows)) * d];
        int k = 0;
        for (double[] row : rows) {
            if (!hasMissing(row)) {
                System.arraycopy(row, 0, out, k, d);
                k += d;
            }
        }
        return out;
    }
}
