package dev.mlops.core.registry;

/** The element type of a {@link Field}, and which Java values {@link Signature#validate} accepts for it. */
public enum FieldType {
    /** 32-bit float: any {@link Number}; arrays {@code float[]}. */
    FLOAT32,
    /** 64-bit float: any {@link Number}; arrays {@code double[]}, {@code float[]}. */
    FLOAT64,
    /** 32-bit integer: {@link Integer}, {@link Short}, {@link Byte}; arrays {@code int[]}. */
    INT32,
    /** 64-bit integer: {@link Long}, {@link Integer}, {@link Short}, {@link Byte}; arrays {@code long[]}, {@code int[]}. */
    INT64,
    /** {@link Boolean}; arrays {@code boolean[]}. */
    BOOLEAN,
    /** Free text: any {@link CharSequence}. */
    STRING,
    /** A category label: any {@link CharSequence}. */
    CATEGORY,
    /** Raw bytes: {@code byte[]} (always a scalar field). */
    BYTES;

    boolean acceptsScalar(Object value) {
        switch (this) {
            case FLOAT32:
            case FLOAT64:
                return value instanceof Number;
            case INT32:
                return value instanceof Integer || value instanceof Short || value instanceof Byte;
            case INT64:
                return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
            case BOOLEAN:
                return value instanceof Boolean;
            case STRING:
            case CATEGORY:
                return value instanceof CharSequence;
            case BYTES:
                return value instanceof byte[];
            default:
                throw new AssertionError(this);
        }
    }

    boolean acceptsPrimitiveArray(Object array) {
        switch (this) {
            case FLOAT32:
                return array instanceof float[];
            case FLOAT64:
                return array instanceof double[] || array instanceof float[];
            case INT32:
                return array instanceof int[];
            case INT64:
                return array instanceof long[] || array instanceof int[];
            case BOOLEAN:
                return array instanceof boolean[];
            default:
                return false;
        }
    }
}
