package dev.mlops.core.registry;

/**
 * The element type of a {@link Field}, and exactly which Java values a {@link Signature} accepts for it.
 *
 * <p>The rule behind the table: a value is accepted only when it converts to the field's type without
 * changing what it means. An integer must convert exactly (an id rounded to a neighbour is a different
 * id); a fraction may round to the precision a {@code FLOAT32} field asks for, but never overflow to
 * infinity or underflow to zero. Nothing is parsed: {@code "12.5"} is not a number and {@code "true"}
 * is not a boolean. The rule looks at the value, not only its class, because JSON readers choose the
 * class by magnitude (Jackson reads {@code 7} as an {@link Integer} and {@code 7000000000} as a
 * {@link Long}).
 *
 * <table>
 * <caption>Accepted scalar values</caption>
 * <tr><th>Type</th><th>Accepted</th><th>Rejected (examples)</th></tr>
 * <tr><td>{@link #FLOAT64}</td><td>{@link Double}, {@link Float}, {@link Integer}, {@link Short},
 *     {@link Byte}; {@link Long} with {@code |v| <= 2^53}</td>
 *     <td>{@code Long} 2<sup>53</sup>+1, {@code BigDecimal}, {@code "1.5"}</td></tr>
 * <tr><td>{@link #FLOAT32}</td><td>{@link Float}; {@link Double} that neither overflows float range nor
 *     underflows to zero (rounded to float precision); {@link Integer}, {@link Long}, {@link Short},
 *     {@link Byte} with {@code |v| <= 2^24}</td>
 *     <td>{@code Double} 1e39, {@code Double} 1e-50, {@code Integer} 2<sup>24</sup>+1</td></tr>
 * <tr><td>{@link #INT64}</td><td>{@link Long}, {@link Integer}, {@link Short}, {@link Byte}</td>
 *     <td>{@code Double} 3.0 (even integral), {@code BigInteger}</td></tr>
 * <tr><td>{@link #INT32}</td><td>{@link Integer}, {@link Short}, {@link Byte}; {@link Long} within
 *     {@code int} range</td><td>{@code Long} 2<sup>31</sup>, {@code Double} 3.0</td></tr>
 * <tr><td>{@link #BOOLEAN}</td><td>{@link Boolean}</td><td>{@code "true"}, {@code 1}</td></tr>
 * <tr><td>{@link #STRING}</td><td>{@link String}, empty included</td><td>{@code StringBuilder},
 *     {@code 'c'}, numbers</td></tr>
 * <tr><td>{@link #CATEGORY}</td><td>{@link String}, empty included</td><td>as {@code STRING}</td></tr>
 * <tr><td>{@link #BYTES}</td><td>{@code byte[]}</td><td>{@code ByteBuffer}, {@code List<Byte>}</td></tr>
 * </table>
 *
 * <p><b>NaN and infinities</b> in {@code FLOAT32} and {@code FLOAT64} fields are rejected unless the
 * validator was built with {@link Signature.Validator#allowingNonFinite()}: a NaN reaching a linear
 * model silently yields a NaN score, but tree models that read NaN as "missing" want it let through.
 *
 * <p>In a tensor field every element follows the same rule; a primitive array ({@code double[]},
 * {@code int[]}, ...) is accepted when each of its elements, boxed, would be.
 */
public enum FieldType {
    /** 32-bit float; see the table above. */
    FLOAT32,
    /** 64-bit float; see the table above. */
    FLOAT64,
    /** 32-bit integer; see the table above. */
    INT32,
    /** 64-bit integer; see the table above. */
    INT64,
    /** {@link Boolean} only. */
    BOOLEAN,
    /** Free text: {@link String} only. */
    STRING,
    /** A category label: {@link String} only. */
    CATEGORY,
    /** Raw bytes: {@code byte[]} only (always a scalar field). */
    BYTES;

    /** Largest integer magnitude below which every integer is exact in a double: 2^53. */
    private static final long DOUBLE_EXACT = 1L << 53;
    /** Largest integer magnitude below which every integer is exact in a float: 2^24. */
    private static final long FLOAT_EXACT = 1L << 24;

    /** Why a scalar was refused: the kind of violation and a short reason, empty for a plain type mismatch. */
    record Refusal(Signature.Problem problem, String reason) {
    }

    private static final Refusal WRONG_TYPE = new Refusal(Signature.Problem.TYPE, "");
    private static final Refusal NOT_FINITE = new Refusal(Signature.Problem.NOT_FINITE, "");

    /** @return the lower-case name used in messages and formats, e.g. {@code float64} */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @param value a non-null scalar
     * @param allowNonFinite whether NaN and infinities pass float fields
     * @return {@code null} when accepted, otherwise why not
     */
    Refusal refuse(Object value, boolean allowNonFinite) {
        switch (this) {
            case FLOAT64:
                if (value instanceof Double || value instanceof Float) {
                    return finite(((Number) value).doubleValue(), allowNonFinite);
                }
                if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    return null;
                }
                if (value instanceof Long l) {
                    return Math.abs(l) <= DOUBLE_EXACT && l != Long.MIN_VALUE ? null
                            : new Refusal(Signature.Problem.TYPE, "not exact in float64, |v| > 2^53");
                }
                return WRONG_TYPE;
            case FLOAT32:
                if (value instanceof Float f) {
                    return finite(f, allowNonFinite);
                }
                if (value instanceof Double d) {
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        return finite(d, allowNonFinite);
                    }
                    float rounded = d.floatValue();
                    if (Float.isInfinite(rounded)) {
                        return new Refusal(Signature.Problem.TYPE, "overflows float32");
                    }
                    if (rounded == 0f && d != 0d) {
                        return new Refusal(Signature.Problem.TYPE, "underflows float32 to zero");
                    }
                    return null;
                }
                if (value instanceof Integer || value instanceof Long || value instanceof Short
                        || value instanceof Byte) {
                    long v = ((Number) value).longValue();
                    return v != Long.MIN_VALUE && Math.abs(v) <= FLOAT_EXACT ? null
                            : new Refusal(Signature.Problem.TYPE, "not exact in float32, |v| > 2^24");
                }
                return WRONG_TYPE;
            case INT64:
                return value instanceof Long || value instanceof Integer || value instanceof Short
                        || value instanceof Byte ? null : WRONG_TYPE;
            case INT32:
                if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    return null;
                }
                if (value instanceof Long l) {
                    return l == l.intValue() ? null : new Refusal(Signature.Problem.TYPE, "outside int32 range");
                }
                return WRONG_TYPE;
            case BOOLEAN:
                return value instanceof Boolean ? null : WRONG_TYPE;
            case STRING:
            case CATEGORY:
                return value instanceof String ? null : WRONG_TYPE;
            case BYTES:
                return value instanceof byte[] ? null : WRONG_TYPE;
            default:
                throw new AssertionError(this);
        }
    }

    private static Refusal finite(double v, boolean allowNonFinite) {
        return allowNonFinite || Double.isFinite(v) ? null : NOT_FINITE;
    }
}
