package dev.mlops.core.monitor;

/**
 * The buckets of a {@link QuantileSketch}: a fixed range of positive values cut into buckets whose
 * widths grow with the value, so that every bucket's representative value is within a fixed
 * relative error of anything the bucket holds.
 *
 * <p>Each power of two (octave) is cut into {@code 2^subBucketBits} equal sub-buckets. A value's bucket is
 * read straight off its IEEE 754 bits (the 11 exponent bits and the top {@code subBucketBits} of the
 * significand, shifted), the "bitwise linearly interpolated" mapping of DDSketch and the
 * sub-bucket scheme of HdrHistogram: no logarithm on the hot path. A bucket {@code [lo, hi)} answers
 * with {@code 2·lo·hi / (lo + hi)}, which is off by at most {@code (hi - lo) / (hi + lo)} relative to any
 * value in it; the widest bucket, relatively, is the first of an octave, so the guarantee is
 * {@link #relativeAccuracy()} {@code = 1 / (2^(subBucketBits + 1) + 1)}. Six bits, the default, give
 * 1/129 &#8776; 0.78% (under the 1% asked of latency quantiles), with 64 buckets per octave: about 1.9
 * times the buckets of an exactly logarithmic mapping at 1%, paid in memory for a cheaper record.
 *
 * <p>{@code lowest} and {@code highest} are stored canonically: the compact constructor moves
 * {@code lowest} down to the lower edge of its bucket and {@code highest} up to the largest double in
 * its bucket, so two layouts are equal exactly when they cut the same buckets, and sketches of equal
 * layouts merge exactly.
 *
 * <pre>{@code
 * SketchLayout nanos = SketchLayout.latencyNanos();          // 1 ns .. 1 h, 0.78%
 * SketchLayout millis = SketchLayout.of(0.001, 60_000, 0.01); // 1 µs .. 1 min in ms, at least 1%
 * int buckets = millis.bucketCount();
 * }</pre>
 *
 * @param lowest the smallest value the buckets track, a bucket edge; smaller positive values are
 *     counted as below the range
 * @param highest the largest value the buckets track, the largest double of the last bucket; larger
 *     values are counted as above the range
 * @param subBucketBits log2 of the buckets per octave, 0 to {@value #MAX_SUB_BUCKET_BITS}
 */
public record SketchLayout(double lowest, double highest, int subBucketBits) {
    /** The finest resolution: 2^20 buckets per octave, a relative accuracy of about 4.8e-7. */
    public static final int MAX_SUB_BUCKET_BITS = 20;
    /** The most buckets a layout may have (8 MiB of counts per sketch stripe). */
    public static final int MAX_BUCKETS = 1 << 20;
    /** The largest {@code highest} accepted, 2^1000, so that bucket edges and sums stay finite. */
    public static final double MAX_HIGHEST = 0x1p1000;

    private static final int SIGNIFICAND_BITS = 52;
    private static final double ONE_HOUR_NANOS = 3_600e9;

    /**
     * Validates the parts and moves {@code lowest} and {@code highest} to the edges of their buckets.
     *
     * @throws IllegalArgumentException naming the part that is out of bounds
     *
     * @param lowest the smallest value the buckets track, a bucket edge; smaller positive values are counted as below
     *     the range
     * @param highest the largest value the buckets track, the largest double of the last bucket; larger values are
     *     counted as above the range
     * @param subBucketBits log2 of the buckets per octave, 0 to {@value #MAX_SUB_BUCKET_BITS}
     */
    public SketchLayout {
        if (subBucketBits < 0 || subBucketBits > MAX_SUB_BUCKET_BITS) {
            throw new IllegalArgumentException(
                    "subBucketBits must be in [0, " + MAX_SUB_BUCKET_BITS + "], was " + subBucketBits);
        }
        if (!(lowest >= Double.MIN_NORMAL)) {
            throw new IllegalArgumentException(
                    "lowest must be a normal positive double (>= " + Double.MIN_NORMAL + "), was " + lowest);
        }
        if (!(highest > lowest && highest <= MAX_HIGHEST)) {
            throw new IllegalArgumentException(
                    "highest must be in (lowest, 2^1000], was " + highest + " with lowest " + lowest);
        }
        int shift = SIGNIFICAND_BITS - subBucketBits;
        long firstKey = Double.doubleToRawLongBits(lowest) >>> shift;
        long lastKey = Double.doubleToRawLongBits(highest) >>> shift;
        long buckets = lastKey - firstKey + 1;
        if (buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("[" + lowest + ", " + highest + "] at " + subBucketBits
                    + " sub-bucket bits needs " + buckets + " buckets, more than " + MAX_BUCKETS);
        }
        lowest = Double.longBitsToDouble(firstKey << shift);
        highest = Math.nextDown(Double.longBitsToDouble((lastKey + 1) << shift));
    }

    /**
     * The layout for latencies in nanoseconds: 1 ns to just over one hour (3.6e12 ns), 64 buckets per
     * octave, relative accuracy 1/129 &#8776; 0.78%; 2,665 buckets, about 21 KiB of counts per stripe.
     *
     * @return the default latency layout
     */
    public static SketchLayout latencyNanos() {
        return new SketchLayout(1.0, ONE_HOUR_NANOS, 6);
    }

    /**
     * The coarsest layout over {@code [lowest, highest]} whose {@link #relativeAccuracy()} is at most
     * {@code relativeAccuracy}.
     *
     * @param lowest the smallest value to track, a normal positive double
     * @param highest the largest value to track, above {@code lowest}, at most 2^1000
     * @param relativeAccuracy the largest relative error wanted, in (0, 1)
     * @return the layout
     * @throws IllegalArgumentException if an argument is out of bounds or the layout needs more than
     *     {@link #MAX_BUCKETS} buckets
     */
    public static SketchLayout of(double lowest, double highest, double relativeAccuracy) {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
            throw new IllegalArgumentException("relativeAccuracy must be in (0, 1), was " + relativeAccuracy);
        }
        int bits = 0;
        while (accuracyOf(bits) > relativeAccuracy) {
            if (bits == MAX_SUB_BUCKET_BITS) {
                throw new IllegalArgumentException("relativeAccuracy " + relativeAccuracy
                        + " is finer than the finest layout, " + accuracyOf(MAX_SUB_BUCKET_BITS));
            }
            bits++;
        }
        return new SketchLayout(lowest, highest, bits);
    }

    /**
     * @return the largest relative error of a bucket's representative value against any value in the
     *     bucket: {@code 1 / (2^(subBucketBits + 1) + 1)}
     */
    public double relativeAccuracy() {
        return accuracyOf(subBucketBits);
    }

    /** @return how many buckets span {@code [lowest, highest]} */
    public int bucketCount() {
        return (int) (lastKey() - firstKey() + 1);
    }

    /**
     * @param value any double
     * @return the index of the bucket holding {@code value}, or -1 when it is outside
     *     {@code [lowest, highest]} (including zero, negative, NaN and infinite values)
     */
    public int indexOf(double value) {
        long index = (Double.doubleToRawLongBits(value) >>> shift()) - firstKey();
        return index >= 0 && index < bucketCount() ? (int) index : -1;
    }

    /**
     * @param index a bucket index in {@code [0, bucketCount())}
     * @return the smallest value in the bucket
     */
    public double lowerBound(int index) {
        checkIndex(index);
        return Double.longBitsToDouble((firstKey() + index) << shift());
    }

    /**
     * @param index a bucket index in {@code [0, bucketCount())}
     * @return the bucket's exclusive upper edge, the next bucket's lower bound
     */
    public double upperBound(int index) {
        checkIndex(index);
        return Double.longBitsToDouble((firstKey() + index + 1) << shift());
    }

    /**
     * @param index a bucket index in {@code [0, bucketCount())}
     * @return the value a quantile in this bucket answers: {@code 2·lo·hi / (lo + hi)}, within
     *     {@link #relativeAccuracy()} of every value in the bucket
     */
    public double representative(int index) {
        double lo = lowerBound(index);
        double hi = upperBound(index);
        return lo * (2 * hi / (lo + hi));
    }

    int shift() {
        return SIGNIFICAND_BITS - subBucketBits;
    }

    long firstKey() {
        return Double.doubleToRawLongBits(lowest) >>> shift();
    }

    private long lastKey() {
        return Double.doubleToRawLongBits(highest) >>> shift();
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= bucketCount()) {
            throw new IndexOutOfBoundsException("bucket index " + index + " outside [0, " + bucketCount() + ")");
        }
    }

    private static double accuracyOf(int bits) {
        return 1.0 / ((1L << (bits + 1)) + 1);
    }
}
