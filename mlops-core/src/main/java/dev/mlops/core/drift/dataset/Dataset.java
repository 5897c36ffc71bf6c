package dev.mlops.core.drift.dataset;

import dev.mlops.core.drift.Sample;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one table type of drift detection: named columns of equal length, numeric ({@code double[]},
 * NaN for missing) or categorical ({@code String[]}, {@code null} for missing), tested column by column
 * by a {@link DatasetDriftDetector} or as rows by a {@link MultivariateDriftDetector}.
 *
 * <p>The arrays are <b>not copied</b>, so that a table of a million rows by a hundred columns costs no
 * extra memory until it is compared; do not change them while a comparison runs. Instances are
 * otherwise immutable and thread-safe.
 *
 * <pre>{@code
 * Dataset current = Dataset.builder().numeric("amount", amounts).categorical("country", countries).build();
 * }</pre>
 */
public final class Dataset {
    private final Map<String, Object> columns;
    private final int rows;

    private Dataset(Map<String, Object> columns, int rows) {
        this.columns = Collections.unmodifiableMap(columns);
        this.rows = rows;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the column names, in the order they were added */
    public List<String> columns() {
        return List.copyOf(columns.keySet());
    }

    /** @return the number of rows */
    public int rows() {
        return rows;
    }

    /**
     * @param name a column
     * @return whether it is numeric
     * @throws IllegalArgumentException when there is no such column
     */
    public boolean isNumeric(String name) {
        return column(name) instanceof double[];
    }

    /**
     * @param name a column
     * @return the column prepared as a sample (sorted or counted); costs a copy and a sort for numeric data
     */
    public Sample sample(String name) {
        Object c = column(name);
        return c instanceof double[] d ? Sample.numeric(d) : Sample.categorical((String[]) c);
    }

    /**
     * @param name a numeric column
     * @return a copy of its values
     * @throws IllegalArgumentException when there is no such column or it is categorical
     */
    public double[] numeric(String name) {
        if (!(column(name) instanceof double[] d)) {
            throw new IllegalArgumentException("column " + name + " is categorical, not numeric");
        }
        return d.clone();
    }

    /**
     * @param name a categorical column
     * @return a copy of its values
     * @throws IllegalArgumentException when there is no such column or it is numeric
     */
    public String[] categorical(String name) {
        if (!(column(name) instanceof String[] c)) {
            throw new IllegalArgumentException("column " + name + " is numeric, not categorical");
        }
        return c.clone();
    }

    /**
     * @param dimension the number of columns expected
     * @return the table as rows, {@code rows() × dimension}, columns in order
     * @throws IllegalArgumentException when the table has another number of columns or a categorical one
     */
    double[][] numericRows(int dimension) {
        if (columns.size() != dimension) {
            throw new IllegalArgumentException("the table has " + columns.size() + " columns, the detector needs "
                    + dimension);
        }
        double[][] out = new double[rows][dimension];
        int j = 0;
        for (Map.Entry<String, Object> e : columns.entrySet()) {
            if (!(e.getValue() instanceof double[] values)) {
                throw new IllegalArgumentException("column " + e.getKey() + " is categorical; a multivariate detector"
                        + " needs numeric columns only");
            }
            for (int i = 0; i < rows; i++) {
                out[i][j] = values[i];
            }
            j++;
        }
        return out;
    }

    private Object column(String name) {
        Object c = columns.get(Objects.requireNonNull(name, "name"));
        if (c == null) {
            throw new IllegalArgumentException("no column " + name + "; columns are " + columns.keySet());
        }
        return c;
    }

    /** Builds a {@link Dataset}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Object> columns = new LinkedHashMap<>();
        private int rows = -1;

        private Builder() {
        }

        /**
         * @param name column name
         * @param values its values, NaN for missing; not copied
         * @return this
         */
        public Builder numeric(String name, double[] values) {
            return add(name, Objects.requireNonNull(values, "values"), values.length);
        }

        /**
         * @param name column name
         * @param values its values, null for missing; not copied
         * @return this
         */
        public Builder categorical(String name, String[] values) {
            return add(name, Objects.requireNonNull(values, "values"), values.length);
        }

        private Builder add(String name, Object values, int length) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("column name must not be empty");
            }
            if (columns.containsKey(name)) {
                throw new IllegalArgumentException("column " + name + " is already set");
            }
            if (rows >= 0 && length != rows) {
                throw new IllegalArgumentException("column " + name + " has " + length + " rows, the others " + rows);
            }
            rows = length;
            columns.put(name, values);
            return this;
        }

        /** @return the dataset */
        public Dataset build() {
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("a dataset needs at least one column");
            }
            return new Dataset(new LinkedHashMap<>(columns), rows);
        }
    }
}
