package dev.mlops.core.registry;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a model takes and returns: named, typed, shaped fields. {@link #validate(Map)} checks a request
 * against the inputs before it reaches the model, so a caller gets a message naming the bad field
 * instead of a wrong score.
 *
 * <pre>{@code
 * Signature sig = Signature.of(Field.float64("amount"), Field.category("country"))
 *                          .returns(Field.float64("score"));
 * sig.validate(Map.of("amount", 12.5, "country", "de"));   // passes
 * sig.validate(Map.of("amount", "12.5"));                   // throws, naming both fields
 * }</pre>
 *
 * <p>Fields that a request carries but the signature does not name are ignored, as MLflow's schema
 * enforcement ignores extra columns. Immutable and thread-safe.
 *
 * @param inputs the input fields, names unique
 * @param outputs the output fields, names unique
 */
public record Signature(List<Field> inputs, List<Field> outputs) {
    private static final Signature NONE = new Signature(List.of(), List.of());

    /** Validates and copies the parts. */
    public Signature {
        inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        outputs = List.copyOf(Objects.requireNonNull(outputs, "outputs"));
        unique("input", inputs);
        unique("output", outputs);
    }

    private static void unique(String side, List<Field> fields) {
        Set<String> seen = new HashSet<>();
        for (Field f : fields) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException(side + " field " + f.name() + " appears twice in the signature");
            }
        }
    }

    /**
     * @return the empty signature: nothing declared, nothing checked
     */
    public static Signature none() {
        return NONE;
    }

    /**
     * @param inputs the input fields
     * @return a signature with these inputs and no outputs yet
     */
    public static Signature of(Field... inputs) {
        return new Signature(List.of(inputs), List.of());
    }

    /**
     * @param outputs the output fields
     * @return this signature with its outputs replaced
     */
    public Signature returns(Field... outputs) {
        return new Signature(inputs, List.of(outputs));
    }

    /**
     * @return whether the signature declares nothing
     */
    public boolean isEmpty() {
        return inputs.isEmpty() && outputs.isEmpty();
    }

    /**
     * @param request field name to value
     * @return every problem found, one message per field; empty when the request fits the inputs
     */
    public List<String> violations(Map<String, ?> request) {
        Objects.requireNonNull(request, "request");
        List<String> problems = new ArrayList<>();
        for (Field f : inputs) {
            Object value = request.get(f.name());
            if (value == null) {
                if (!f.nullable()) {
                    problems.add("field " + f.name() + ": required " + describe(f) + " is missing");
                }
                continue;
            }
            String problem = f.shape().isEmpty() ? checkScalar(f, value) : checkTensor(f, value, 0);
            if (problem != null) {
                problems.add("field " + f.name() + ": expected " + describe(f) + ", " + problem);
            }
        }
        return problems;
    }

    /**
     * @param request field name to value
     * @throws IllegalArgumentException listing every field that does not fit
     */
    public void validate(Map<String, ?> request) {
        List<String> problems = violations(request);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("request does not match the model signature: " + String.join("; ", problems));
        }
    }

    private static String describe(Field f) {
        return f.type().name().toLowerCase(java.util.Locale.ROOT) + (f.shape().isEmpty() ? "" : " tensor " + f.shape());
    }

    private static String checkScalar(Field f, Object value) {
        return f.type().acceptsScalar(value) ? null : "got " + value.getClass().getSimpleName();
    }

    private static String checkTensor(Field f, Object value, int dim) {
        int expected = f.shape().get(dim);
        boolean last = dim == f.shape().size() - 1;
        int length;
        if (value instanceof List<?> list) {
            length = list.size();
        } else if (value.getClass().isArray()) {
            length = Array.getLength(value);
        } else {
            return "got " + value.getClass().getSimpleName() + " at dimension " + dim;
        }
        if (expected != -1 && length != expected) {
            return "dimension " + dim + " has size " + length;
        }
        if (last && value.getClass().isArray() && value.getClass().getComponentType().isPrimitive()) {
            return f.type().acceptsPrimitiveArray(value) ? null : "got " + value.getClass().getSimpleName();
        }
        for (int i = 0; i < length; i++) {
            Object element = value instanceof List<?> list ? list.get(i) : Array.get(value, i);
            if (element == null) {
                return "null element at dimension " + dim + " index " + i;
            }
            String problem = last ? checkScalar(f, element) : checkTensor(f, element, dim + 1);
            if (problem != null) {
                return problem + (last ? " at index " + i : "");
            }
        }
        return null;
    }
}
