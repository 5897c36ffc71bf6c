package dev.mlops.drift;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.Names;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.internal.JsonFormat;
import dev.mlops.core.internal.StrictJsonReader;
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

    /** The most columns a saved dataset reference holds. */
    public static final int MAX_COLUMNS = 10_000;
    /** The longest column name, in characters. */
    public static final int MAX_COLUMN_NAME_LENGTH = 1_000;
    /** The longest dataset reference document read, in characters (64 MiB, as {@link Reference#MAX_JSON_CHARS}). */
    public static final int MAX_JSON_CHARS = Reference.MAX_JSON_CHARS;

    private static final JsonFormat JSON = new JsonFormat(FORMAT, VERSION);

    /**
     * Copies the columns, keeping their order, and validates them.
     *
     * @param columns each column's prepared reference, in column order (iteration order is kept)
     */
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
            out.put(column, prepare(table, column));
        }
        return new DatasetReference(out);
    }

    /** A table's column as a reference; a column without a usable value is refused, naming it. */
    static Reference prepare(Dataset table, String column) {
        try {
            return new Reference(table.sample(column));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reference column " + column + ": " + e.getMessage(), e);
        }
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

    /**
     * @return this reference as one line of JSON, in the documented format
     * @throws IllegalArgumentException when it is beyond the format's limits ({@link #MAX_COLUMNS},
     *     {@link #MAX_COLUMN_NAME_LENGTH}, {@link #MAX_JSON_CHARS}, or a column's {@link Reference#toJson()}
     *     limits), which {@link #fromJson} would refuse to read back
     */
    public String toJson() {
        if (columns.size() > MAX_COLUMNS) {
            throw new IllegalArgumentException("this dataset reference holds " + columns.size()
                    + " columns; the saved format holds at most " + MAX_COLUMNS);
        }
        for (String name : columns.keySet()) {
            if (name.length() > MAX_COLUMN_NAME_LENGTH) {
                throw new IllegalArgumentException("column name " + Names.quote(name) + " is " + name.length()
                        + " characters long; the saved format holds names of at most " + MAX_COLUMN_NAME_LENGTH);
            }
        }
        String json = JSON.writeCompact(g -> {
            g.writeArrayFieldStart("columns");
            for (Map.Entry<String, Reference> e : columns.entrySet()) {
                g.writeStartObject();
                g.writeStringField("name", e.getKey());
                g.writeFieldName("reference");
                g.writeEmbedded(e.getValue().toJson());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
        if (json.length() > MAX_JSON_CHARS) {
            throw new IllegalArgumentException("this dataset reference is " + json.length()
                    + " characters as JSON; the format holds at most " + MAX_JSON_CHARS
                    + ", so it could not be read back: save fewer columns per document, or subsample the values");
        }
        return json;
    }

    /**
     * Reads a dataset reference strictly: the fields above and no others, each once, at most
     * {@link #MAX_COLUMNS} columns with names of at most {@link #MAX_COLUMN_NAME_LENGTH} characters, each
     * column's reference read by {@link Reference#fromJson} with its limits, at most
     * {@link #MAX_JSON_CHARS} characters in all, nothing after the object.
     *
     * @param json a dataset reference written by {@link #toJson()} (any whitespace)
     * @return the dataset reference
     * @throws InvalidFormatException when the text is not a dataset reference in a known format version,
     *     or a column's reference is not valid, naming the field path and the character offset
     */
    public static DatasetReference fromJson(String json) {
        try (StrictJsonReader r = JSON.reader("dataset reference JSON", json, MAX_JSON_CHARS)) {
            r.beginObject();
            Map<String, Reference> columns = null;
            while (r.nextField()) {
                switch (r.field()) {
                    case "columns" -> columns = readColumns(r, json);
                    default -> r.skipUnknown();
                }
            }
            r.checkHeader();
            if (columns == null) {
                throw r.missing("columns");
            }
            if (columns.isEmpty()) {
                throw r.fail("\"columns\" must hold at least one column, was empty");
            }
            r.endDocument();
            return new DatasetReference(columns);
        }
    }

    private static Map<String, Reference> readColumns(StrictJsonReader r, String json) {
        r.beginArray();
        Map<String, Reference> out = new LinkedHashMap<>();
        for (int i = 0; r.nextElement(i, MAX_COLUMNS); i++) {
            if (!r.isObjectStart()) {
                throw r.fail("expected each column to be an object");
            }
            String name = null;
            Reference reference = null;
            while (r.nextField()) {
                switch (r.field()) {
                    case "name" -> name = r.string(MAX_COLUMN_NAME_LENGTH);
                    case "reference" -> reference = r.embedded(json, Reference::fromJson);
                    default -> r.skipUnknown();
                }
            }
            if (name == null) {
                throw r.missing("name");
            }
            if (reference == null) {
                throw r.missing("reference");
            }
            if (name.isEmpty()) {
                throw r.fail("column " + i + " has an empty name");
            }
            if (out.put(name, reference) != null) {
                throw r.fail("column " + Names.quote(name) + " appears twice");
            }
        }
        return out;
    }
}
