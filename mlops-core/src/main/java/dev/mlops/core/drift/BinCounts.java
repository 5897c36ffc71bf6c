package dev.mlops.core.drift;

import java.util.List;
import java.util.Objects;

/**
 * The bins a test counted, reference and current side by side: what a chart must show for the verdict to
 * be read off it. Numeric bins are intervals between consecutive {@code edges} (the last one closed, as
 * NumPy's {@code histogram}), or single values when each distinct value has its own bin; categorical
 * bins are categories, the reference's first, then the ones unseen in the reference. Immutable.
 *
 * @param labels one label per bin: the category, the value, or the interval as text
 * @param edges for interval bins, {@code labels.size() + 1} ascending edges; otherwise empty
 * @param reference reference observations per bin
 * @param current current observations per bin
 */
public record BinCounts(List<String> labels, List<Double> edges, List<Long> reference, List<Long> current) {
    /**
     * Copies and validates the parts.
     *
     * @param labels one label per bin: the category, the value, or the interval as text
     * @param edges for interval bins, {@code labels.size() + 1} ascending edges; otherwise empty
     * @param reference reference observations per bin
     * @param current current observations per bin
     */
    public BinCounts {
        labels = List.copyOf(labels);
        edges = List.copyOf(edges);
        reference = List.copyOf(reference);
        current = List.copyOf(current);
        int n = labels.size();
        if (reference.size() != n || current.size() != n) {
            throw new IllegalArgumentException("labels, reference and current must have one entry per bin; had "
                    + n + ", " + reference.size() + ", " + current.size());
        }
        if (!edges.isEmpty() && edges.size() != n + 1) {
            throw new IllegalArgumentException("edges must be empty or one more than the bins (" + (n + 1) + "), had "
                    + edges.size());
        }
        for (int i = 0; i < n; i++) {
            if (reference.get(i) < 0 || current.get(i) < 0) {
                throw new IllegalArgumentException("counts must be >= 0; bin " + i + " has " + reference.get(i) + " and "
                        + current.get(i));
            }
        }
        for (String label : labels) {
            Objects.requireNonNull(label, "label");
        }
    }

    /** @return whether the bins are intervals between {@link #edges()} */
    public boolean intervals() {
        return !edges.isEmpty();
    }

    /** @return the number of bins */
    public int size() {
        return labels.size();
    }
}
