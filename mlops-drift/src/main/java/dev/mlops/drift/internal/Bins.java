package dev.mlops.drift.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reference and current counts over the same bins, as {@link Binning} makes them: the input of the
 * categorical tests ({@link ChiSquare}, {@link GTest}) and of the {@link Distances}.
 *
 * <p>Bins whose reference count is zero because the reference never held their category or value are
 * <em>unseen</em> bins: {@link Binning} puts categories unseen in the reference after the reference's
 * own categories, each in its own bin, so that no current observation is ever dropped and no test
 * fails on them; {@link #poolUnseen()} merges them into one explicit bucket when a fixed number of
 * bins per reference is wanted.
 *
 * <p>Immutable and thread-safe: arrays are copied in and out.
 *
 * @param reference reference count per bin, each at least 0
 * @param current current count per bin, each at least 0, as many as {@code reference}
 * @param labels one readable name per bin: the category, the value, or the interval
 * @param edges for histogram bins the {@code bins + 1} ascending edges (every bin half open but the
 *     last, which is closed, as in NumPy); empty for bins of categories or single values
 */
public record Bins(long[] reference, long[] current, List<String> labels, double[] edges) {

    /** The label of the bucket made by {@link #poolUnseen()}. */
    public static final String UNSEEN_LABEL = "(unseen in reference)";

    /**
     * Validates and copies the parts.
     *
     * @param reference reference count per bin, each at least 0
     * @param current current count per bin, each at least 0, as many as {@code reference}
     * @param labels one readable name per bin: the category, the value, or the interval
     * @param edges for histogram bins the {@code bins + 1} ascending edges (every bin half open but the last, which
     *     is closed, as in NumPy); empty for bins of categories or single values
     */
    public Bins {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(edges, "edges");
        reference = reference.clone();
        current = current.clone();
        labels = List.copyOf(labels);
        edges = edges.clone();
        if (reference.length == 0) {
            throw new IllegalArgumentException("reference must have at least one bin");
        }
        if (current.length != reference.length || labels.size() != reference.length) {
            throw new IllegalArgumentException("current and labels must have as many bins as reference ("
                    + reference.length + "), had " + current.length + " and " + labels.size());
        }
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] < 0 || current[i] < 0) {
                throw new IllegalArgumentException("counts must be >= 0; bin " + i + " holds " + reference[i]
                        + " and " + current[i]);
            }
        }
        if (edges.length != 0 && edges.length != reference.length + 1) {
            throw new IllegalArgumentException("edges must be empty or hold bins + 1 = " + (reference.length + 1)
                    + " values, had " + edges.length);
        }
        for (int i = 1; i < edges.length; i++) {
            if (!(edges[i - 1] <= edges[i])) {
                throw new IllegalArgumentException("edges must be ascending and not NaN; index " + i + " holds "
                        + edges[i] + " after " + edges[i - 1]);
            }
        }
    }

    /** @return a copy of the reference counts */
    @Override
    public long[] reference() {
        return reference.clone();
    }

    /** @return a copy of the current counts */
    @Override
    public long[] current() {
        return current.clone();
    }

    /** @return a copy of the edges; empty unless these are histogram bins */
    @Override
    public double[] edges() {
        return edges.clone();
    }

    /** @return the number of bins */
    public int size() {
        return reference.length;
    }

    /**
     * @return whether these are histogram bins (with {@link #edges()}) rather than one bin per category
     *     or value
     */
    public boolean isHistogram() {
        return edges.length != 0;
    }

    /**
     * @return how many bins hold a category or value the reference never saw: the bins with a zero
     *     reference count, except histogram bins, whose empty reference bins are ranges, not categories
     */
    public int unseen() {
        if (isHistogram()) {
            return 0;
        }
        int n = 0;
        for (long r : reference) {
            if (r == 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * @return the reference counts as frequencies for {@link Distances}
     */
    public double[] referenceFrequencies() {
        return toDouble(reference);
    }

    /**
     * @return the current counts as frequencies for {@link Distances}
     */
    public double[] currentFrequencies() {
        return toDouble(current);
    }

    /**
     * Merges every bin with a zero reference count into one trailing bucket labelled
     * {@link #UNSEEN_LABEL}, so that the number of bins depends on the reference alone. Histogram bins
     * keep their shape, since their empty reference bins are not categories; bins with no unseen
     * category are returned as they are (an empty bucket would change the zero-filled PSI and KL).
     *
     * @return bins with at most one unseen bucket, the last
     */
    public Bins poolUnseen() {
        int unseen = unseen();
        if (unseen == 0) {
            return this;
        }
        int kept = reference.length - unseen;
        long[] ref = new long[kept + 1];
        long[] cur = new long[kept + 1];
        String[] names = new String[kept + 1];
        int j = 0;
        long pooled = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] == 0) {
                pooled = PowerDivergence.add(pooled, current[i], "the current sample's unseen categories");
            } else {
                ref[j] = reference[i];
                cur[j] = current[i];
                names[j] = labels.get(i);
                j++;
            }
        }
        ref[kept] = 0;
        cur[kept] = pooled;
        names[kept] = UNSEEN_LABEL;
        return new Bins(ref, cur, List.of(names), new double[0]);
    }

    private static double[] toDouble(long[] counts) {
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bins other && Arrays.equals(reference, other.reference)
                && Arrays.equals(current, other.current) && labels.equals(other.labels)
                && Arrays.equals(edges, other.edges);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(reference), Arrays.hashCode(current), labels, Arrays.hashCode(edges));
    }

    @Override
    public String toString() {
        return "Bins[bins=" + reference.length + ", unseen=" + unseen() + ", histogram=" + isHistogram() + "]";
    }
}
