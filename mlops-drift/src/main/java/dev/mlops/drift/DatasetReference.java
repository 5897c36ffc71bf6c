package dev.mlops.drift;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mlops.core.drift.Reference;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reference side of {@link DatasetDrift}: one prepared {@link Reference} per column (numeric values
 * sorted, categories counted), in column order. Build it once from the training table, save it as JSON,
 * and let every replica run {@code DatasetDrift.against(DatasetReference.fromJson(json))} without the
 * raw table and without sorting it again.
 *
 * <p>JSON format {@code mlops.drift.dataset-reference}, version 1: an object with {@code format},
 * {@code version} and {@code columns}, an array (so that the column order survives every JSON tool) of
 * objects with {@code name} and {@code reference}, the column's {@link Reference#toJson()} object
 * (format {@code mlops.drift.reference} version 1) as it is:
 * <pre>{@code
 * {"format":"mlops.drift.dataset-reference","version":1,"columns":[
 *   {"name":"amount","reference":{"format":"mlops.drift.reference","version":1,"kind":"numeric","missing":0,"values":[0.5,1.0]}},
 *   {"name":"country","reference":{"format":"mlops.drift.reference","version":1,"kind":"categorical","missing":2,"counts":{"de":10}}}]}
 * }</pre>
 * {@link #toJson()} writes it on one line, as above without the line breaks. Readers reject other
 * formats and versions, duplicate or empty column names and an empty column list.
 *
 * <pre>{@code
 * String json = DatasetReference.of(trainingTable).toJson();           // at training time
 * DatasetDrift drift = DatasetDrift.against(DatasetReference.fromJson(json)); // on each replica
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param columns each column's prepared reference, in column order (iteration order is kept)
 */
public record DatasetReference(Map<String, Reference> columns) {
    /** The value of the JSON {@code format} field. */
    public static final String FORMAT = "mlops.drift.dataset-reference";
    /** The JSON format version this class writes and reads. */
    public static final int VERSION = 1;

    private static final JsonFactory JSON = new JsonFactory();

    /** Copies the columns, keeping their order, and validates them. */
    public DatasetReference {
        Objects.requireNonNull(columns, "columns");
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("columns must hold at least one column");
        }
        Map<String, Reference> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Reference> e : columns.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "column name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("column name must not be empty");
            }
            copy.put(name, Objects.requireNonNull(e.getValue(), "reference of column " + name));
        }
        columns = Collections.unmodifiableMap(copy);
    }

    /**
     * Prepares every column of a table on the calling thread (a copy and a sort per numeric column, a
     * count per categorical one).
     *
     * @param table the reference table
     * @return its prepared columns, in the table's order
     */
    public static DatasetReference of(Dataset table) {
        Objects.requireNonNull(table, "table");
        Map<String, Reference> out = new LinkedHashMap<>();
        for (String column : table.columns()) {
            out.put(column, new Reference(table.sample(column)));
        }
        return new DatasetReference(out);
    }

    /** @return the column names, in order */
    public List<String> columnNames() {
        return List.copyOf(columns.keySet());
    }

    /**
     * @param column a column name
     * @return its prepared reference
     * @throws IllegalArgumentException when there is no such column
     */
    public Reference reference(String column) {
        Reference r = columns.get(Objects.requireNonNull(column, "column"));
        if (r == null) {
            throw new IllegalArgumentException("no column " + column + " in the reference; columns are " + columns.keySet());
        }
        return r;
    }

    /** @return this reference as one line of JSON, in the documented format */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", VERSION);
            g.writeArrayFieldStart("columns");
            for (Map.Entry<String, Reference> e : columns.entrySet()) {
                g.writeStartObject();
                g.writeStringField("name", e.getKey());
                g.writeFieldName("reference");
                g.writeRawValue(e.getValue().toJson());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a dataset reference to a string cannot fail", e);
        }
        return out.toString();
    }

    /**
     * @param json a dataset reference written by {@link #toJson()} (any whitespace)
     * @return the dataset reference
     * @throws IllegalArgumentException when the text is not a dataset reference in a known format version,
     *     or a column's reference is not valid
     */
    public static DatasetReference fromJson(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "a JSON object");
            String format = null;
            long version = -1;
            Map<String, Reference> columns = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "format" -> format = p.getValueAsString();
                    case "version" -> version = p.getValueAsLong(-1);
                    case "columns" -> columns = readColumns(p, t, json);
                    default -> p.skipChildren();
                }
            }
            expect(FORMAT.equals(format), "\"format\":\"" + FORMAT + "\"");
            if (version != VERSION) {
                throw new IllegalArgumentException("dataset reference format version " + version
                        + " is not supported; this library reads version " + VERSION);
            }
            expect(columns != null, "\"columns\"");
            return new DatasetReference(columns);
        } catch (IOException e) {
            throw new IllegalArgumentException("dataset reference JSON is not well-formed: " + e.getMessage(), e);
        }
    }

    private static Map<String, Reference> readColumns(JsonParser p, JsonToken start, String json) throws IOException {
        expect(start == JsonToken.START_ARRAY, "\"columns\" to be an array");
        Map<String, Reference> out = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            expect(t == JsonToken.START_OBJECT, "each column to be an object");
            String name = null;
            Reference reference = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "name" -> name = p.getValueAsString();
                    case "reference" -> reference = readReference(p, v, json, name);
                    default -> p.skipChildren();
                }
            }
            expect(name != null && !name.isEmpty(), "each column to have a non-empty \"name\"");
            expect(reference != null, "a \"reference\" for column " + name);
            if (out.put(name, reference) != null) {
                throw new IllegalArgumentException("dataset reference JSON: column " + name + " appears twice");
            }
        }
        return out;
    }

    /**
     * Hands the column's object, character for character, to {@link Reference#fromJson}, so that the
     * column format is read by its own reader and numbers are never re-printed.
     */
    private static Reference readReference(JsonParser p, JsonToken start, String json, String name) throws IOException {
        expect(start == JsonToken.START_OBJECT, "\"reference\" to be an object");
        long from = p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        long to = p.currentLocation().getCharOffset();
        try {
            return Reference.fromJson(json.substring((int) from, (int) to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dataset reference JSON: column " + (name == null ? "(unnamed)" : name)
                    + ": " + e.getMessage(), e);
        }
    }

    private static void expect(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("dataset reference JSON: expected " + what);
        }
    }
}
