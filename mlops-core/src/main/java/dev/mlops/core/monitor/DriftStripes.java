package dev.mlops.core.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of a recording stripe that a {@link DriftPlan} adds, after the summaries' counters: a random
 * state, then per planned numeric feature its bin counts and its reservoir. Written on the serving
 * thread by the stripe's single writer, with plain writes and no allocation; read by the closing thread
 * once the window is closed.
 *
 * <p><b>Bins</b>: {@code edges + 1} counters, the value placed by binary search (see
 * {@link DriftPlan.Numeric}); they add up across stripes like every other counter.
 *
 * <p><b>Reservoir</b>: {@code SEEN} (finite values offered), {@code NEXT} (the count at which the next
 * value is taken), {@code W} (the bits of Algorithm L's weight), then {@code n} values as raw bits. The
 * first {@code n} values fill it; afterwards Li's Algorithm L ("Reservoir-sampling algorithms of time
 * complexity O(n(1 + log(N/n)))", ACM TOMS 1994) jumps from one taken value to the next by a geometric
 * skip, so a value costs one comparison and only taken values draw random numbers; each taken value
 * replaces a uniformly chosen slot. After {@code N} values the reservoir is a uniform sample of
 * {@code min(n, N)} of them.
 *
 * <p><b>Randomness</b>: each stripe has its own xorshift64* state, seeded from a per-monitor
 * SplitMix64 sequence when the stripe is made and kept across windows, so the stripes' reservoirs are
 * independent of each other and of the values.
 *
 * <p><b>Merging</b> (on the closing thread): with {@code N_i} values offered to stripe {@code i} and
 * {@code N = sum N_i}, it draws how many of {@code m = min(n, N)} values each stripe gives as {@code m}
 * draws without replacement from the {@code N} values (a multivariate hypergeometric draw: stripe
 * {@code i} with probability {@code remaining_i / remaining}), then takes that many uniformly from the
 * stripe's reservoir (a partial Fisher-Yates shuffle). A uniform subset of a uniform subset is uniform,
 * so given the draw each stripe's part is a uniform subset of its values, and the draw makes every
 * {@code m}-subset of the window's {@code N} values equally likely, however unequal the stripes' counts.
 * When {@code N <= n} nothing is drawn: the sample is every value.
 */
final class DriftStripes {
    private static final int SEEN = 0;
    private static final int NEXT = 1;
    private static final int WEIGHT = 2;
    private static final int VALUES = 3;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final int[] feature;
    private final double[][] edges;
    private final int[] binsAt;
    private final int[] sampleAt;
    private final int[] sampleSize;
    private final int[] entryOfFeature;
    private final int random;
    private final int end;
    private final AtomicLong seeds = new AtomicLong(0x5DEECE66DL);

    /**
     * @param schema the monitor's features
     * @param plan what to keep, its features checked against the schema
     * @param at the first free slot of the stripe
     * @throws IllegalArgumentException naming a planned feature that is not a numeric feature of the schema
     */
    DriftStripes(FeatureSchema schema, DriftPlan plan, int at) {
        List<String> numericNames = schema.numericNames();
        int entries = plan.numeric().size();
        feature = new int[entries];
        edges = new double[entries][];
        binsAt = new int[entries];
        sampleAt = new int[entries];
        sampleSize = new int[entries];
        entryOfFeature = new int[numericNames.size()];
        Arrays.fill(entryOfFeature, -1);
        random = at++;
        long slot = at;
        for (int j = 0; j < entries; j++) {
            DriftPlan.Numeric n = plan.numeric().get(j);
            int i = numericNames.indexOf(n.feature());
            if (i < 0) {
                throw new IllegalArgumentException("the drift plan names " + n.feature()
                        + ", which is not a numeric feature of the schema; numeric features are " + numericNames);
            }
            feature[j] = i;
            entryOfFeature[i] = j;
            if (n.edges().isEmpty()) {
                binsAt[j] = -1;
            } else {
                edges[j] = n.edges().stream().mapToDouble(Double::doubleValue).toArray();
                binsAt[j] = (int) slot;
                slot += n.binCount();
            }
            sampleSize[j] = n.sampleSize();
            if (n.sampleSize() == 0) {
                sampleAt[j] = -1;
            } else {
                sampleAt[j] = (int) slot;
                slot += VALUES + (long) n.sampleSize();
            }
            if (slot > Integer.MAX_VALUE - 64) {
                throw new IllegalArgumentException("the drift plan needs " + slot
                        + " counters per stripe, more than an array holds; keep smaller samples");
            }
        }
        end = (int) slot;
    }

    /** @return the first slot after the drift part */
    int end() {
        return end;
    }

    /** @return the slot of the stripe's random state, kept when the stripe is cleared */
    int randomSlot() {
        return random;
    }

    /** Seeds a new recording stripe's random state from the monitor's sequence. */
    void seed(long[] stripe) {
        long z = seeds.getAndAdd(GOLDEN) + GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        stripe[random] = z == 0 ? GOLDEN : z;
    }

    /**
     * @param numericFeature a numeric feature's index in the schema
     * @return its entry in the plan, or -1
     */
    int entryOf(int numericFeature) {
        return entryOfFeature[numericFeature];
    }

    /**
     * @param entry a plan entry
     * @return whether it keeps a sample
     */
    boolean keepsSample(int entry) {
        return sampleAt[entry] >= 0;
    }

    // ---- recording: called by the stripe's single writer ----

    /** Counts the finite values of the planned features in their bins and offers them to their reservoirs. */
    void record(long[] s, double[] values) {
        for (int j = 0; j < feature.length; j++) {
            double v = values[feature[j]];
            if (!Double.isFinite(v)) {
                continue;
            }
            int b = binsAt[j];
            if (b >= 0) {
                s[b + bin(edges[j], v)]++;
            }
            int a = sampleAt[j];
            if (a >= 0) {
                offer(s, a, sampleSize[j], v);
            }
        }
    }

    /**
     * @return the bin of {@code v}: 0 below the first edge, {@code k + 1} above the last of {@code k + 1}
     *     edges, else {@code i + 1} for the largest {@code i < k} with {@code e[i] <= v}
     */
    static int bin(double[] e, double v) {
        int k = e.length - 1;
        if (v < e[0]) {
            return 0;
        }
        if (v > e[k]) {
            return k + 1;
        }
        int lo = 0;
        int hi = k - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (e[mid] <= v) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }

    private void offer(long[] s, int a, int n, double v) {
        long seen = s[a + SEEN] + 1;
        s[a + SEEN] = seen;
        if (seen <= n) {
            s[a + VALUES + (int) (seen - 1)] = Double.doubleToRawLongBits(v);
            if (seen == n) {
                advance(s, a, n, 1.0, seen);
            }
        } else if (seen == s[a + NEXT]) {
            s[a + VALUES + index(s, n)] = Double.doubleToRawLongBits(v);
            advance(s, a, n, Double.longBitsToDouble(s[a + WEIGHT]), seen);
        }
    }

    /** Algorithm L's step: a new weight, and the count at which the next value is taken. */
    private void advance(long[] s, int a, int n, double weight, long seen) {
        double w = weight * Math.exp(Math.log(unit(s)) / n);
        s[a + WEIGHT] = Double.doubleToRawLongBits(w);
        double skip = Math.floor(Math.log(unit(s)) / Math.log1p(-w));
        // A skip past 2^62 values is never reached; saturating keeps NEXT from wrapping.
        long jump = skip < 0x1p62 ? (long) skip : 1L << 62;
        s[a + NEXT] = seen + jump + 1;
    }

    /** @return a uniform double in (0, 1] */
    private double unit(long[] s) {
        return ((next(s) >>> 11) + 1) * 0x1.0p-53;
    }

    /** @return a uniform index in [0, n), n at most 2^20: the high 31 bits scaled, no division */
    private int index(long[] s, int n) {
        return (int) (((next(s) >>> 33) * n) >>> 31);
    }

    /** xorshift64* (Vigna): a few shifts and a multiply, on the stripe's own state. */
    private long next(long[] s) {
        long x = s[random];
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        s[random] = x;
        return x * 0x2545F4914F6CDD1DL;
    }

    // ---- adding and reading, once the window is closed ----

    /** Adds a stripe's bin counts into a total. */
    void addBins(long[] total, long[] stripe) {
        for (int j = 0; j < feature.length; j++) {
            int b = binsAt[j];
            if (b >= 0) {
                for (int i = b; i < b + edges[j].length + 1; i++) {
                    total[i] += stripe[i];
                }
            }
        }
    }

    /**
     * @param total the sum of a window's stripes
     * @param entry a plan entry
     * @return its bin counts, empty without edges
     */
    List<Long> binCounts(long[] total, int entry) {
        int b = binsAt[entry];
        if (b < 0) {
            return List.of();
        }
        List<Long> out = new ArrayList<>(edges[entry].length + 1);
        for (int i = b; i < b + edges[entry].length + 1; i++) {
            out.add(total[i]);
        }
        return out;
    }

    /**
     * Merges the reservoirs of a closed window's stripes into one uniform sample per planned feature.
     *
     * @param stripes the window's stripes, closed (no writer)
     * @param seed the seed of the draws (the monitor derives it from the window's start, so that a
     *     window's sample is reproducible)
     * @return per plan entry the sample, unsorted, or null for an entry without one
     */
    double[][] merge(long[][] stripes, long seed) {
        SplittableRandom draws = new SplittableRandom(seed);
        double[][] out = new double[feature.length][];
        for (int j = 0; j < feature.length; j++) {
            if (sampleAt[j] >= 0) {
                out[j] = merge(stripes, sampleAt[j], sampleSize[j], draws);
            }
        }
        return out;
    }

    private static double[] merge(long[][] stripes, int a, int n, SplittableRandom draws) {
        int count = stripes.length;
        long[] seen = new long[count];
        long total = 0;
        for (int i = 0; i < count; i++) {
            seen[i] = stripes[i][a + SEEN];
            total += seen[i];
        }
        int m = (int) Math.min(n, total);
        int[] take = new int[count];
        if (total <= n) {
            for (int i = 0; i < count; i++) {
                take[i] = (int) seen[i];
            }
        } else {
            long[] remaining = seen.clone();
            long left = total;
            for (int t = 0; t < m; t++) {
                long u = draws.nextLong(left);
                int i = 0;
                while (u >= remaining[i]) {
                    u -= remaining[i];
                    i++;
                }
                take[i]++;
                remaining[i]--;
                left--;
            }
        }
        double[] sample = new double[m];
        int at = 0;
        for (int i = 0; i < count; i++) {
            int k = take[i];
            if (k == 0) {
                continue;
            }
            long[] s = stripes[i];
            int held = (int) Math.min(seen[i], n);
            if (k == held) {
                for (int r = 0; r < held; r++) {
                    sample[at++] = Double.longBitsToDouble(s[a + VALUES + r]);
                }
                continue;
            }
            int[] slots = new int[held];
            for (int r = 0; r < held; r++) {
                slots[r] = r;
            }
            for (int r = 0; r < k; r++) {
                int pick = r + draws.nextInt(held - r);
                int chosen = slots[pick];
                slots[pick] = slots[r];
                slots[r] = chosen;
                sample[at++] = Double.longBitsToDouble(s[a + VALUES + chosen]);
            }
        }
        return sample;
    }
}
