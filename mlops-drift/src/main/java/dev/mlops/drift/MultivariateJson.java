package dev.mlops.drift;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reading and writing of the JSON formats of the prepared multivariate references. Package-private:
 * the formats are documented on {@link MmdDetector#toJson()} and
 * {@link PcaReconstructionDetector#toJson()}.
 *
 * <p>A document is read whole into a small tree (objects, arrays of numbers as {@code double[]},
 * other arrays as lists, scalars) and then taken apart by typed getters, so that fields may come in
 * any order and every failure names the field by its path ({@code options.pValue},
 * {@code rows[3][1]}). Numbers are read by {@link Double#parseDouble} and written by
 * {@link Double#toString}, so every finite double comes back with the same bits. Non-numeric
 * tokens ({@code NaN}, {@code Infinity}) are accepted by the parser only so that the getters can
 * reject them with the field's name.
 *
 * <p>Stateless; thread-safe.
 */
final class MultivariateJson {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** Stands for a JSON {@code null} in the tree. */
    private static final Object NULL = new Object();

    private MultivariateJson() {
    }

    /** Writes one document; the generator is the only way out. */
    @FunctionalInterface
    interface Body {
        /**
         * @param g the generator, positioned inside the top-level object after format and version
         * @throws IOException never for the in-memory writer, but the generator declares it
         */
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * @param format the {@code format} field
     * @param version the {@code version} field
     * @param body writes the remaining fields
     * @return the document, compact, fields in the order written
     */
    static String write(String format, int version, Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("format", format);
            g.writeNumberField("version", version);
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string cannot fail", e);
        }
        return out.toString();
    }

    /**
     * @param g the generator
     * @param name the field name
     * @param values written in order, each finite
     * @throws IOException from the generator
     */
    static void writeArray(JsonGenerator g, String name, double[] values) throws IOException {
        g.writeFieldName(name);
        writeArray(g, values, 0, values.length);
    }

    /**
     * @param g the generator, where a value is expected
     * @param values the source
     * @param from first index, inclusive
     * @param to last index, exclusive
     * @throws IOException from the generator
     */
    static void writeArray(JsonGenerator g, double[] values, int from, int to) throws IOException {
        g.writeStartArray();
        for (int i = from; i < to; i++) {
            g.writeNumber(values[i]);
        }
        g.writeEndArray();
    }

    /**
     * Parses a document and checks its header: {@code format} must be the expected one and
     * {@code version} one this library reads.
     *
     * @param json the text, not null
     * @param format the expected {@code format} field; its last dotted part names the document in
     *     messages ({@code "mmd-reference JSON: ..."})
     * @param version the one version this library reads
     * @return the top-level object, with {@code format} and {@code version} already consumed
     * @throws IllegalArgumentException when the text is not one JSON object, or the header differs
     */
    static Obj parse(String json, String format, int version) {
        Objects.requireNonNull(json, "json");
        String label = format.substring(format.lastIndexOf('.') + 1) + " JSON";
        Map<String, Object> fields;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(label + ": expected a JSON object");
            }
            fields = readObject(p, label, "");
            if (p.nextToken() != null) {
                throw new IllegalArgumentException(label + ": expected nothing after the top-level object");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(label + " is not well-formed: " + e.getMessage(), e);
        }
        Obj root = new Obj(label, "", fields);
        String actualFormat = root.string("format");
        if (!format.equals(actualFormat)) {
            throw new IllegalArgumentException(label + ": format must be \"" + format + "\", was \"" + actualFormat + "\"");
        }
        long actualVersion = root.longValue("version");
        if (actualVersion != version) {
            throw new IllegalArgumentException(label + ": format version " + actualVersion
                    + " is not supported; this library reads version " + version);
        }
        return root;
    }

    private static Map<String, Object> readObject(JsonParser p, String label, String path) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            p.nextToken();
            if (fields.put(name, readValue(p, label, path + name)) != null) {
                throw new IllegalArgumentException(label + ": field " + path + name + " appears twice");
            }
        }
        return fields;
    }

    private static Object readValue(JsonParser p, String label, String path) throws IOException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case START_OBJECT -> readObject(p, label, path + ".");
            case START_ARRAY -> readArray(p, label, path);
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? new Num(p.getDoubleValue(), 0, false) : new Num(p.getLongValue(), p.getLongValue(), true);
            case VALUE_NUMBER_FLOAT -> new Num(p.getDoubleValue(), 0, false);
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
            case VALUE_NULL -> NULL;
            default -> throw new IllegalArgumentException(label + ": unexpected " + t + " at " + path);
        };
    }

    /** Arrays of numbers only become a {@code double[]}: a reference's rows would not fit as boxes. */
    private static Object readArray(JsonParser p, String label, String path) throws IOException {
        double[] numbers = new double[16];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                List<Object> items = new ArrayList<>(n + 16);
                for (int i = 0; i < n; i++) {
                    items.add(new Num(numbers[i], 0, false));
                }
                items.add(readValue(p, label, path + "[" + n + "]"));
                for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    items.add(readValue(p, label, path + "[" + items.size() + "]"));
                }
                return items;
            }
            if (n == numbers.length) {
                numbers = Arrays.copyOf(numbers, n * 2);
            }
            numbers[n++] = p.getDoubleValue();
        }
        return Arrays.copyOf(numbers, n);
    }

    /** A JSON number: its double value and, for an integer token that fits, its exact long value. */
    private record Num(double value, long exact, boolean integral) {
    }

    /**
     * One JSON object of a document, with getters that name the field on failure. Each getter
     * consumes its field; {@link #noOtherFields()} rejects the ones nobody asked for.
     */
    static final class Obj {
        private final String label;
        private final String path;
        private final Map<String, Object> fields;
        private final Set<String> unread;

        private Obj(String label, String path, Map<String, Object> fields) {
            this.label = label;
            this.path = path;
            this.fields = fields;
            this.unread = new LinkedHashSet<>(fields.keySet());
            unread.remove("format");
            unread.remove("version");
        }

        /**
         * @param name the field, or an element of it such as {@code "rows[2]"}
         * @param what what is wrong, completing the sentence that starts with the field's path
         * @return a failure naming the field: {@code "<label>: <path><name> <what>"}
         */
        IllegalArgumentException fail(String name, String what) {
            return new IllegalArgumentException(label + ": " + path + name + " " + what);
        }

        /**
         * @param e a validation failure whose message starts with a field name of this object
         * @return the same failure, its message prefixed with the document and this object's path
         */
        IllegalArgumentException wrap(IllegalArgumentException e) {
            return new IllegalArgumentException(label + ": " + path + e.getMessage(), e);
        }

        /**
         * @param name the field, which must be present
         * @return whether it is JSON {@code null}
         */
        boolean isNull(String name) {
            return get(name) == NULL;
        }

        /**
         * @param name the field
         * @return the nested object
         */
        Obj object(String name) {
            Object v = get(name);
            if (!(v instanceof Map<?, ?> map)) {
                throw fail(name, "must be an object, was " + describe(v));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fieldsOf = (Map<String, Object>) map;
            return new Obj(label, path + name + ".", fieldsOf);
        }

        /**
         * @param name the field
         * @return the string
         */
        String string(String name) {
            Object v = get(name);
            if (!(v instanceof String s)) {
                throw fail(name, "must be a string, was " + describe(v));
            }
            return s;
        }

        /**
         * @param name the field
         * @return the integer, exactly
         */
        long longValue(String name) {
            Object v = get(name);
            if (!(v instanceof Num num) || !num.integral()) {
                throw fail(name, "must be an integer, was " + describe(v));
            }
            return num.exact();
        }

        /**
         * @param name the field
         * @param min the least value accepted
         * @param max the largest value accepted
         * @return the integer, within {@code [min, max]}
         */
        int intValue(String name, int min, int max) {
            long v = longValue(name);
            if (v < min || v > max) {
                throw fail(name, "must be in [" + min + ", " + max + "], was " + v);
            }
            return (int) v;
        }

        /**
         * @param name the field
         * @return the number, finite
         */
        double finite(String name) {
            Object v = get(name);
            if (!(v instanceof Num num)) {
                throw fail(name, "must be a number, was " + describe(v));
            }
            if (!Double.isFinite(num.value())) {
                throw fail(name, "must be finite, was " + num.value());
            }
            return num.value();
        }

        /**
         * @param name the field
         * @param length the required length, or {@code -1} for any
         * @param lengthName what fixes the length, for the message
         * @return the array of finite numbers
         */
        double[] finiteArray(String name, int length, String lengthName) {
            Object v = get(name);
            double[] values = numbers(v, name);
            checkRow(values, name, length, lengthName);
            return values;
        }

        /**
         * @param name the field
         * @param rows the required number of rows, or {@code -1} for any
         * @param rowsName what fixes the number of rows, for the message
         * @param columns the required length of every row
         * @param columnsName what fixes the row length, for the message
         * @return the rows, flattened row after row, each value finite
         */
        double[] finiteRows(String name, int rows, String rowsName, int columns, String columnsName) {
            Object v = get(name);
            List<?> items;
            if (v instanceof double[] a && a.length == 0) {
                items = List.of();
            } else if (v instanceof List<?> list) {
                items = list;
            } else {
                throw fail(name, "must be an array of arrays of numbers, was " + describe(v));
            }
            if (rows >= 0 && items.size() != rows) {
                throw fail(name, "must have " + rows + " rows (" + rowsName + "), had " + items.size());
            }
            double[] out = new double[Math.multiplyExact(items.size(), columns)];
            for (int i = 0; i < items.size(); i++) {
                String rowName = name + "[" + i + "]";
                double[] row = numbers(items.get(i), rowName);
                checkRow(row, rowName, columns, columnsName);
                System.arraycopy(row, 0, out, i * columns, columns);
            }
            return out;
        }

        /** @throws IllegalArgumentException naming the first field no getter asked for */
        void noOtherFields() {
            if (!unread.isEmpty()) {
                throw fail(unread.iterator().next(), "is not a field of this format");
            }
        }

        private double[] numbers(Object v, String name) {
            if (v instanceof double[] a) {
                return a;
            }
            if (v instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof Num)) {
                        throw fail(name + "[" + i + "]", "must be a number, was " + describe(list.get(i)));
                    }
                }
            }
            throw fail(name, "must be an array of numbers, was " + describe(v));
        }

        private void checkRow(double[] values, String name, int length, String lengthName) {
            if (length >= 0 && values.length != length) {
                throw fail(name, "must have " + length + " values (" + lengthName + "), had " + values.length);
            }
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw fail(name + "[" + i + "]", "must be finite, was " + values[i]);
                }
            }
        }

        private Object get(String name) {
            Object v = fields.get(name);
            if (v == null) {
                throw fail(name, "is missing");
            }
            unread.remove(name);
            return v;
        }

        private static String describe(Object v) {
            if (v == NULL) {
                return "null";
            }
            if (v instanceof Num num) {
                return num.integral() ? Long.toString(num.exact()) : Double.toString(num.value());
            }
            if (v instanceof String s) {
                return "the string \"" + s + "\"";
            }
            if (v instanceof Boolean b) {
                return b.toString();
            }
            if (v instanceof Map<?, ?>) {
                return "an object";
            }
            return "an array";
        }
    }
}
