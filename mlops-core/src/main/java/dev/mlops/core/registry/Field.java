package dev.mlops.core.registry;

import java.util.List;
import java.util.Objects;

/**
 * One named input or output of a model.
 *
 * <pre>{@code
 * Field.float64("amount");
 * Field.category("country").orNull();
 * Field.tensor("embedding", FieldType.FLOAT32, 768);      // shape [768]
 * Field.tensor("image", FieldType.FLOAT32, -1, 28, 28);   // first dimension any size
 * }</pre>
 *
 * @param name the column or tensor name (1 to 250 characters, no control characters)
 * @param type the element type
 * @param shape empty for a scalar; otherwise the size of each dimension, {@code -1} for any size
 * @param nullable whether the field is optional: when {@code true} a row may leave it out or hold
 *     {@code null} for it (MLflow's {@code required=False}); when {@code false} either is a violation
 */
public record Field(String name, FieldType type, List<Integer> shape, boolean nullable) {
    /**
     * Validates and copies the parts.
     *
     * @param name the column or tensor name (1 to 250 characters, no control characters)
     * @param type the element type
     * @param shape empty for a scalar; otherwise the size of each dimension, {@code -1} for any size
     * @param nullable whether the field is optional: when {@code true} a row may leave it out or hold {@code null}
     *     for it (MLflow's {@code required=False}); when {@code false} either is a violation
     */
    public Field {
        Texts.key("field name", name);
        Objects.requireNonNull(type, "type");
        shape = List.copyOf(Objects.requireNonNull(shape, "shape"));
        for (int d : shape) {
            if (d < -1 || d == 0) {
                throw new IllegalArgumentException("shape of field " + name + " must hold sizes >= 1 or -1, was " + shape);
            }
        }
        if (type == FieldType.BYTES && !shape.isEmpty()) {
            throw new IllegalArgumentException("field " + name + " of type BYTES must be a scalar");
        }
    }

    /**
     * @param name field name
     * @return a scalar 64-bit float field
     */
    public static Field float64(String name) {
        return new Field(name, FieldType.FLOAT64, List.of(), false);
    }

    /**
     * @param name field name
     * @return a scalar 32-bit float field
     */
    public static Field float32(String name) {
        return new Field(name, FieldType.FLOAT32, List.of(), false);
    }

    /**
     * @param name field name
     * @return a scalar 64-bit integer field
     */
    public static Field int64(String name) {
        return new Field(name, FieldType.INT64, List.of(), false);
    }

    /**
     * @param name field name
     * @return a scalar 32-bit integer field
     */
    public static Field int32(String name) {
        return new Field(name, FieldType.INT32, List.of(), false);
    }

    /**
     * @param name field name
     * @return a scalar boolean field
     */
    public static Field bool(String name) {
        return new Field(name, FieldType.BOOLEAN, List.of(), false);
    }

    /**
     * @param name field name
     * @return a scalar text field
     */
    public static Field string(String name) {
        return new Field(name, FieldType.STRING, List.of(), false);
    }

    /**
     * @param name field name
     * @return a scalar category field
     */
    public static Field category(String name) {
        return new Field(name, FieldType.CATEGORY, List.of(), false);
    }

    /**
     * @param name field name
     * @return a bytes field
     */
    public static Field bytes(String name) {
        return new Field(name, FieldType.BYTES, List.of(), false);
    }

    /**
     * @param name field name
     * @param type element type
     * @param shape size per dimension, {@code -1} for any
     * @return a tensor field
     */
    public static Field tensor(String name, FieldType type, int... shape) {
        return new Field(name, type, java.util.Arrays.stream(shape).boxed().toList(), false);
    }

    /** @return this field, optional: allowed to be absent or null */
    public Field orNull() {
        return new Field(name, type, shape, true);
    }

    /** @return what a message says this field expects, e.g. {@code float32 tensor [-1, 28, 28]} */
    String describe() {
        return type.label() + (shape.isEmpty() ? "" : " tensor " + shape);
    }
}
