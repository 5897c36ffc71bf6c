package dev.mlops.core.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where each counter of one recording stripe lives in its {@code long[]}, how a recording updates them,
 * how stripes add up, and how a sum of stripes becomes a {@link WindowSnapshot}.
 *
 * <p>A stripe is written by one thread at a time (the one that claimed it, see
 * {@link WindowAccumulator}), so every update is a plain read-modify-write: no atomic instruction per
 * counter. Doubles (sums, means, min, max) are stored as their raw bits.
 *
 * <p>Layout: padding, the claim word, the header counters, the start of the claimer's window, the
 * latency block, the score block, the predicted-class block, one signed block per numeric feature, one
 * block per categorical feature, the drift part when the monitor tests drift ({@link DriftStripes}),
 * padding. The padding keeps the claim words and hot counters of two
 * stripes off each other's cache lines.
 */
final class StripeLayout {
    static final int PAD = 16;
    static final int OWNER = PAD;
    static final int PREDICTIONS = PAD + 1;
    static final int FAILURES = PAD + 2;
    static final int INVALID_SCORES = PAD + 3;
    static final int INVALID_ACTUALS = PAD + 4;
    static final int LATE = PAD + 5;
    static final int DUPLICATE = PAD + 6;
    static final int UNKNOWN = PAD + 7;
    /** The start of the window a claimed stripe belongs to, written by its claimer; not a counter. */
    static final int WINDOW = PAD + 8;
    private static final int LATENCY = PAD + 9;

    // Latency block: a sketch of non-negative longs, sum/min/max kept as longs.
    private static final int L_ZERO = 0;
    private static final int L_BELOW = 1;
    private static final int L_ABOVE = 2;
    private static final int L_NEGATIVE = 3;
    private static final int L_SUM = 4;
    private static final int L_MIN = 5;
    private static final int L_MAX = 6;
    private static final int L_BUCKETS = 7;

    // Signed block: counts, Welford's (n, mean, M2), zeros, then per side (negative magnitudes, positive
    // values) below/above/sum/min/max, then the negative buckets and the positive buckets.
    private static final int S_MISSING = 0;
    private static final int S_INFINITE = 1;
    private static final int S_OUT = 2;
    private static final int S_N = 3;
    private static final int S_MEAN = 4;
    private static final int S_M2 = 5;
    private static final int S_ZERO = 6;
    private static final int S_NEG = 7;
    private static final int S_POS = 12;
    private static final int SIDE_BELOW = 0;
    private static final int SIDE_ABOVE = 1;
    private static final int SIDE_SUM = 2;
    private static final int SIDE_MIN = 3;
    private static final int SIDE_MAX = 4;
    private static final int S_BUCKETS = 17;

    // Categorical block: missing, unseen, known counts, learned-name counts.
    private static final int C_MISSING = 0;
    private static final int C_UNSEEN = 1;
    private static final int C_COUNTS = 2;

    private static final long POSITIVE_INFINITY_BITS = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
    private static final long NEGATIVE_INFINITY_BITS = Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY);
    private static final long MAGNITUDE_MASK = Long.MAX_VALUE;

    private final FeatureSchema schema;
    private final List<String> classes;
    private final int classBlock;
    private final SketchLayout latencyLayout;
    private final SketchLayout valueLayout;
    private final int latencyShift;
    private final long latencyFirstKey;
    private final int latencyBuckets;
    private final int valueShift;
    private final long valueFirstKey;
    private final int valueBuckets;
    private final int scoreBlock;
    private final int[] numericBlock;
    private final double[] numericMin;
    private final double[] numericMax;
    private final int[] categoricalBlock;
    private final int[] knownCategories;
    private final int newCategoryBound;
    private final int length;
    private final long[] template;
    /** The drift part of a stripe, or null when the monitor tests no drift: the hot path then pays a null check. */
    private final DriftStripes drift;

    StripeLayout(FeatureSchema schema, List<String> classes, SketchLayout latencyLayout, SketchLayout valueLayout,
            int newCategoryBound) {
        this(schema, classes, latencyLayout, valueLayout, newCategoryBound, null);
    }

    /**
     * @param driftPlan what to keep for a drift detector, or null for none
     * @throws IllegalArgumentException when the plan names a feature that is not a numeric feature of the schema
     */
    StripeLayout(FeatureSchema schema, List<String> classes, SketchLayout latencyLayout, SketchLayout valueLayout,
            int newCategoryBound, DriftPlan driftPlan) {
        this.schema = schema;
        this.classes = List.copyOf(classes);
        this.latencyLayout = latencyLayout;
        this.valueLayout = valueLayout;
        this.latencyShift = latencyLayout.shift();
        this.latencyFirstKey = latencyLayout.firstKey();
        this.latencyBuckets = latencyLayout.bucketCount();
        this.valueShift = valueLayout.shift();
        this.valueFirstKey = valueLayout.firstKey();
        this.valueBuckets = valueLayout.bucketCount();
        this.newCategoryBound = newCategoryBound;
        int at = LATENCY + L_BUCKETS + latencyBuckets;
        int signedSize = S_BUCKETS + 2 * valueBuckets;
        scoreBlock = at;
        at += signedSize;
        classBlock = at;
        at += C_COUNTS + this.classes.size();
        int numericCount = schema.numeric().size();
        numericBlock = new int[numericCount];
        numericMin = new double[numericCount];
        numericMax = new double[numericCount];
        for (int i = 0; i < numericCount; i++) {
            numericBlock[i] = at;
            numericMin[i] = schema.numeric().get(i).min();
            numericMax[i] = schema.numeric().get(i).max();
            at += signedSize;
        }
        int categoricalCount = schema.categorical().size();
        categoricalBlock = new int[categoricalCount];
        knownCategories = new int[categoricalCount];
        for (int i = 0; i < categoricalCount; i++) {
            categoricalBlock[i] = at;
            knownCategories[i] = schema.categorical().get(i).categories().size();
            at += C_COUNTS + knownCategories[i] + newCategoryBound;
        }
        if (driftPlan == null) {
            drift = null;
        } else {
            drift = new DriftStripes(schema, driftPlan, at);
            at = drift.end();
        }
        length = at + PAD;
        template = new long[length];
        template[LATENCY + L_MIN] = Long.MAX_VALUE;
        template[LATENCY + L_MAX] = Long.MIN_VALUE;
        initSigned(template, scoreBlock);
        for (int b : numericBlock) {
            initSigned(template, b);
        }
    }

    FeatureSchema schema() {
        return schema;
    }

    SketchLayout latencyLayout() {
        return latencyLayout;
    }

    SketchLayout valueLayout() {
        return valueLayout;
    }

    int numericCount() {
        return numericBlock.length;
    }

    int categoricalCount() {
        return categoricalBlock.length;
    }

    /** @return the drift part of the stripes, or null when the monitor tests no drift */
    DriftStripes drift() {
        return drift;
    }

    /** @return a fresh, empty recording stripe, unclaimed, with its own random state when it samples for drift */
    long[] newStripe() {
        long[] stripe = template.clone();
        if (drift != null) {
            drift.seed(stripe);
        }
        return stripe;
    }

    /** @return an empty array to add stripes into (never recorded into, so it draws no seed) */
    long[] newTotal() {
        return template.clone();
    }

    /** Empties a stripe's counters, leaving its claim word and its random state as they are. */
    void clear(long[] stripe) {
        if (drift == null) {
            System.arraycopy(template, OWNER + 1, stripe, OWNER + 1, length - OWNER - 1);
            return;
        }
        long state = stripe[drift.randomSlot()];
        System.arraycopy(template, OWNER + 1, stripe, OWNER + 1, length - OWNER - 1);
        stripe[drift.randomSlot()] = state;
    }

    // ---- recording: called by the stripe's single writer ----

    void latency(long[] s, long nanos) {
        int b = LATENCY;
        if (nanos > 0) {
            long index = (Double.doubleToRawLongBits((double) nanos) >>> latencyShift) - latencyFirstKey;
            if (index >= 0 && index < latencyBuckets) {
                s[b + L_BUCKETS + (int) index]++;
            } else if (index < 0) {
                s[b + L_BELOW]++;
            } else {
                s[b + L_ABOVE]++;
            }
            // Saturates rather than wraps: a latency near Long.MAX_VALUE (a clock bug) must not make the sum
            // negative and the window unreadable.
            long sum = s[b + L_SUM] + nanos;
            s[b + L_SUM] = sum < 0 ? Long.MAX_VALUE : sum;
            if (nanos < s[b + L_MIN]) {
                s[b + L_MIN] = nanos;
            }
            if (nanos > s[b + L_MAX]) {
                s[b + L_MAX] = nanos;
            }
        } else if (nanos == 0) {
            s[b + L_ZERO]++;
            if (0 < s[b + L_MIN]) {
                s[b + L_MIN] = 0;
            }
            if (0 > s[b + L_MAX]) {
                s[b + L_MAX] = 0;
            }
        } else {
            s[b + L_NEGATIVE]++;
        }
    }

    void score(long[] s, double score) {
        value(s, scoreBlock, score, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    void predictedClass(long[] s, int c) {
        int b = classBlock;
        if (c >= 0 && c < classes.size()) {
            s[b + C_COUNTS + c]++;
        } else if (c == -1) {
            s[b + C_MISSING]++;
        } else {
            s[b + C_UNSEEN]++;
        }
    }

    void numeric(long[] s, double[] values) {
        for (int i = 0; i < numericBlock.length; i++) {
            value(s, numericBlock[i], values[i], numericMin[i], numericMax[i]);
        }
        DriftStripes d = drift;
        if (d != null) {
            d.record(s, values);
        }
    }

    void categories(long[] s, int[] indexes) {
        for (int i = 0; i < categoricalBlock.length; i++) {
            int b = categoricalBlock[i];
            int c = indexes[i];
            if (c >= 0 && c < knownCategories[i]) {
                s[b + C_COUNTS + c]++;
            } else if (c == -1) {
                s[b + C_MISSING]++;
            } else {
                s[b + C_UNSEEN]++;
            }
        }
    }

    void categories(long[] s, String[] names, CategoryDictionary[] dictionaries) {
        for (int i = 0; i < categoricalBlock.length; i++) {
            int b = categoricalBlock[i];
            int c = dictionaries[i].indexOf(names[i]);
            if (c == -1) {
                s[b + C_MISSING]++;
            } else if (c < knownCategories[i]) {
                s[b + C_COUNTS + c]++;
            } else {
                s[b + C_UNSEEN]++;
                if (c != CategoryDictionary.UNSEEN) {
                    s[b + C_COUNTS + c]++;
                }
            }
        }
    }

    private void value(long[] s, int b, double v, double min, double max) {
        if (v != v) {
            s[b + S_MISSING]++;
            return;
        }
        double magnitude = Math.abs(v);
        if (magnitude == Double.POSITIVE_INFINITY) {
            s[b + S_INFINITE]++;
            return;
        }
        if (v < min || v > max) {
            s[b + S_OUT]++;
        }
        long n = s[b + S_N] + 1;
        s[b + S_N] = n;
        double mean = Double.longBitsToDouble(s[b + S_MEAN]);
        double delta = v - mean;
        mean += delta / n;
        s[b + S_MEAN] = Double.doubleToRawLongBits(mean);
        s[b + S_M2] = Double.doubleToRawLongBits(Double.longBitsToDouble(s[b + S_M2]) + delta * (v - mean));
        int side;
        if (magnitude == 0) {
            s[b + S_ZERO]++;
            side = b + S_POS;
        } else {
            long bits = Double.doubleToRawLongBits(v);
            int buckets = b + S_BUCKETS;
            if (bits < 0) {
                side = b + S_NEG;
            } else {
                side = b + S_POS;
                buckets += valueBuckets;
            }
            long index = ((bits & MAGNITUDE_MASK) >>> valueShift) - valueFirstKey;
            if (index >= 0 && index < valueBuckets) {
                s[buckets + (int) index]++;
            } else if (index < 0) {
                s[side + SIDE_BELOW]++;
            } else {
                s[side + SIDE_ABOVE]++;
            }
            s[side + SIDE_SUM] = Double.doubleToRawLongBits(Double.longBitsToDouble(s[side + SIDE_SUM]) + magnitude);
        }
        if (magnitude < Double.longBitsToDouble(s[side + SIDE_MIN])) {
            s[side + SIDE_MIN] = Double.doubleToRawLongBits(magnitude);
        }
        if (magnitude > Double.longBitsToDouble(s[side + SIDE_MAX])) {
            s[side + SIDE_MAX] = Double.doubleToRawLongBits(magnitude);
        }
    }

    // ---- adding stripes ----

    /** Adds {@code stripe} into {@code total}: counts add, sums add, min and max combine, Welford by Chan. */
    void addInto(long[] total, long[] stripe) {
        for (int i = PREDICTIONS; i < WINDOW; i++) {
            total[i] += stripe[i];
        }
        int b = LATENCY;
        addRange(total, stripe, b + L_ZERO, b + L_SUM);
        long sum = total[b + L_SUM] + stripe[b + L_SUM];
        total[b + L_SUM] = sum < 0 ? Long.MAX_VALUE : sum;
        total[b + L_MIN] = Math.min(total[b + L_MIN], stripe[b + L_MIN]);
        total[b + L_MAX] = Math.max(total[b + L_MAX], stripe[b + L_MAX]);
        addRange(total, stripe, b + L_BUCKETS, b + L_BUCKETS + latencyBuckets);
        addSigned(total, stripe, scoreBlock);
        addRange(total, stripe, classBlock, classBlock + C_COUNTS + classes.size());
        for (int nb : numericBlock) {
            addSigned(total, stripe, nb);
        }
        for (int i = 0; i < categoricalBlock.length; i++) {
            int cb = categoricalBlock[i];
            addRange(total, stripe, cb, cb + C_COUNTS + knownCategories[i] + newCategoryBound);
        }
        if (drift != null) {
            drift.addBins(total, stripe);
        }
    }

    private void addSigned(long[] total, long[] stripe, int b) {
        addRange(total, stripe, b + S_MISSING, b + S_N);
        long n2 = stripe[b + S_N];
        if (n2 > 0) {
            long n1 = total[b + S_N];
            double mean2 = Double.longBitsToDouble(stripe[b + S_MEAN]);
            double m2b = Double.longBitsToDouble(stripe[b + S_M2]);
            if (n1 == 0) {
                total[b + S_MEAN] = stripe[b + S_MEAN];
                total[b + S_M2] = stripe[b + S_M2];
            } else {
                double mean1 = Double.longBitsToDouble(total[b + S_MEAN]);
                double m2a = Double.longBitsToDouble(total[b + S_M2]);
                double n = (double) n1 + n2;
                double delta = mean2 - mean1;
                total[b + S_MEAN] = Double.doubleToRawLongBits(mean1 + delta * (n2 / n));
                total[b + S_M2] = Double.doubleToRawLongBits(m2a + m2b + delta * delta * ((double) n1 * n2 / n));
            }
            total[b + S_N] = n1 + n2;
        }
        total[b + S_ZERO] += stripe[b + S_ZERO];
        addSide(total, stripe, b + S_NEG);
        addSide(total, stripe, b + S_POS);
        addRange(total, stripe, b + S_BUCKETS, b + S_BUCKETS + 2 * valueBuckets);
    }

    private static void addSide(long[] total, long[] stripe, int side) {
        total[side + SIDE_BELOW] += stripe[side + SIDE_BELOW];
        total[side + SIDE_ABOVE] += stripe[side + SIDE_ABOVE];
        total[side + SIDE_SUM] = Double.doubleToRawLongBits(Double.longBitsToDouble(total[side + SIDE_SUM])
                + Double.longBitsToDouble(stripe[side + SIDE_SUM]));
        total[side + SIDE_MIN] = Double.doubleToRawLongBits(Math.min(
                Double.longBitsToDouble(total[side + SIDE_MIN]), Double.longBitsToDouble(stripe[side + SIDE_MIN])));
        total[side + SIDE_MAX] = Double.doubleToRawLongBits(Math.max(
                Double.longBitsToDouble(total[side + SIDE_MAX]), Double.longBitsToDouble(stripe[side + SIDE_MAX])));
    }

    private static void addRange(long[] total, long[] stripe, int from, int to) {
        for (int i = from; i < to; i++) {
            total[i] += stripe[i];
        }
    }

    // ---- snapshots ----

    WindowSnapshot snapshot(long[] t, Instant start, Instant end, CategoryDictionary[] dictionaries) {
        List<NumericSummary> numeric = new ArrayList<>(numericBlock.length);
        for (int i = 0; i < numericBlock.length; i++) {
            numeric.add(signed(t, numericBlock[i], schema.numeric().get(i).name()));
        }
        List<CategoricalSummary> categorical = new ArrayList<>(categoricalBlock.length);
        for (int i = 0; i < categoricalBlock.length; i++) {
            categorical.add(categorical(t, i, dictionaries[i]));
        }
        List<Long> classCounts = new ArrayList<>(classes.size());
        for (int c = 0; c < classes.size(); c++) {
            classCounts.add(t[classBlock + C_COUNTS + c]);
        }
        CategoricalSummary predicted = new CategoricalSummary("class", classes, classCounts, t[classBlock + C_MISSING],
                t[classBlock + C_UNSEEN], Map.of());
        return new WindowSnapshot(start, end, t[PREDICTIONS], t[FAILURES], latency(t),
                signed(t, scoreBlock, "score"), predicted, numeric, categorical,
                new WindowOutcomes(Optional.empty(), Optional.empty(), t[INVALID_SCORES], t[INVALID_ACTUALS], t[LATE],
                        t[DUPLICATE], t[UNKNOWN]));
    }

    WindowSnapshot empty(Instant start, Instant end) {
        return empty(start, end, schema, classes, latencyLayout, valueLayout);
    }

    static WindowSnapshot empty(Instant start, Instant end, FeatureSchema schema, List<String> classes,
            SketchLayout latency, SketchLayout value) {
        List<NumericSummary> numeric = new ArrayList<>();
        for (FeatureSchema.Numeric f : schema.numeric()) {
            numeric.add(NumericSummary.empty(f.name(), value));
        }
        List<CategoricalSummary> categorical = new ArrayList<>();
        for (FeatureSchema.Categorical f : schema.categorical()) {
            categorical.add(CategoricalSummary.empty(f.name(), f.categories()));
        }
        return new WindowSnapshot(start, end, 0, 0, QuantileSketchSnapshot.empty(latency),
                NumericSummary.empty("score", value), CategoricalSummary.empty("class", classes), numeric, categorical,
                WindowOutcomes.NONE);
    }

    private QuantileSketchSnapshot latency(long[] t) {
        int b = LATENCY;
        int from = b + L_BUCKETS;
        int to = from + latencyBuckets;
        long ranked = t[b + L_ZERO] + t[b + L_BELOW] + t[b + L_ABOVE] + sum(t, from, to);
        if (ranked == 0) {
            return new QuantileSketchSnapshot(latencyLayout, 0, 0, 0, new long[0], 0, t[b + L_NEGATIVE], 0, 0,
                    Double.NaN, Double.NaN);
        }
        int first = firstNonZero(t, from, to);
        long[] buckets = Arrays.copyOfRange(t, first, Math.max(first, lastNonZero(t, from, to) + 1));
        return new QuantileSketchSnapshot(latencyLayout, t[b + L_ZERO], t[b + L_BELOW], first == to ? 0 : first - from,
                buckets, t[b + L_ABOVE], t[b + L_NEGATIVE], 0, (double) t[b + L_SUM], t[b + L_MIN], t[b + L_MAX]);
    }

    private static long sum(long[] t, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += t[i];
        }
        return sum;
    }

    // The first index in [from, to) holding a non-zero count, or `to` when there is none.
    private static int firstNonZero(long[] t, int from, int to) {
        int i = from;
        while (i < to && t[i] == 0) {
            i++;
        }
        return i;
    }

    // The last index in [from, to) holding a non-zero count, or from - 1 when there is none.
    private static int lastNonZero(long[] t, int from, int to) {
        int i = to - 1;
        while (i >= from && t[i] == 0) {
            i--;
        }
        return i;
    }

    private NumericSummary signed(long[] t, int b, String name) {
        long n = t[b + S_N];
        QuantileSketchSnapshot negative = side(t, b + S_NEG, 0, b + S_BUCKETS);
        QuantileSketchSnapshot positive = side(t, b + S_POS, t[b + S_ZERO], b + S_BUCKETS + valueBuckets);
        double mean = n == 0 ? Double.NaN : Double.longBitsToDouble(t[b + S_MEAN]);
        double m2 = n == 0 ? 0 : Math.max(0, Double.longBitsToDouble(t[b + S_M2]));
        return new NumericSummary(name, t[b + S_MISSING], t[b + S_INFINITE], t[b + S_OUT], mean, m2,
                new SignedSketchSnapshot(negative, positive));
    }

    private QuantileSketchSnapshot side(long[] t, int side, long zeros, int bucketsAt) {
        int to = bucketsAt + valueBuckets;
        long ranked = zeros + t[side + SIDE_BELOW] + t[side + SIDE_ABOVE] + sum(t, bucketsAt, to);
        if (ranked == 0) {
            return QuantileSketchSnapshot.empty(valueLayout);
        }
        int first = firstNonZero(t, bucketsAt, to);
        long[] buckets = Arrays.copyOfRange(t, first, Math.max(first, lastNonZero(t, bucketsAt, to) + 1));
        return new QuantileSketchSnapshot(valueLayout, zeros, t[side + SIDE_BELOW], first == to ? 0 : first - bucketsAt,
                buckets, t[side + SIDE_ABOVE], 0, 0, Double.longBitsToDouble(t[side + SIDE_SUM]),
                Double.longBitsToDouble(t[side + SIDE_MIN]), Double.longBitsToDouble(t[side + SIDE_MAX]));
    }

    private CategoricalSummary categorical(long[] t, int i, CategoryDictionary dictionary) {
        int b = categoricalBlock[i];
        FeatureSchema.Categorical f = schema.categorical().get(i);
        List<Long> counts = new ArrayList<>(knownCategories[i]);
        for (int c = 0; c < knownCategories[i]; c++) {
            counts.add(t[b + C_COUNTS + c]);
        }
        Map<String, Long> named = new TreeMap<>();
        for (int slot = 0; slot < newCategoryBound; slot++) {
            long count = t[b + C_COUNTS + knownCategories[i] + slot];
            if (count > 0) {
                named.put(dictionary.learnedName(slot), count);
            }
        }
        return new CategoricalSummary(f.name(), f.categories(), counts, t[b + C_MISSING], t[b + C_UNSEEN], named);
    }

    private static void initSigned(long[] stripe, int b) {
        stripe[b + S_NEG + SIDE_MIN] = POSITIVE_INFINITY_BITS;
        stripe[b + S_NEG + SIDE_MAX] = NEGATIVE_INFINITY_BITS;
        stripe[b + S_POS + SIDE_MIN] = POSITIVE_INFINITY_BITS;
        stripe[b + S_POS + SIDE_MAX] = NEGATIVE_INFINITY_BITS;
    }
}
