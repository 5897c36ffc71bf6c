package dev.mlops.core.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Objects;

/**
 * The one way this library writes a JSON document: every saved format (drift references, detector
 * states, reports, the filesystem store's files) is written through this class, usually by way of
 * {@link JsonFormat}, which adds the {@code format} and {@code version} header.
 *
 * <ul>
 *   <li>one shared generator factory, streaming only: there is no data binding, so nothing in a
 *       document names a type to instantiate, and nothing is written but what a format's writer
 *       writes, in the order it writes it;</li>
 *   <li>every output setting is pinned rather than left to Jackson's defaults, so that the same values
 *       give the same bytes after an upgrade: field names quoted, only control characters, {@code "}
 *       and {@code \} escaped (with upper-case hex), surrogate pairs written as two escapes in UTF-8
 *       output, numbers as numbers, doubles by {@link Double#toString} (never Jackson's faster writer,
 *       whose digits can differ);</li>
 *   <li>strict as {@link StrictJsonReader} is: a double must be finite, a string must not be
 *       {@code null} (write {@link #writeNull()} for a JSON null), no field is written twice in an
 *       object, and nesting stops at {@link StrictJsonReader#MAX_DEPTH}, so that nothing is written
 *       that the reader would refuse for these reasons. A breach is a bug in the format's writer: an
 *       {@link IllegalArgumentException} for a bad value, an {@link IllegalStateException} for a bad
 *       sequence of calls.</li>
 * </ul>
 *
 * <p>The methods are named as Jackson's streaming generator names them and write exactly what it
 * writes.
 *
 * <pre>{@code
 * byte[] file = StrictJsonWriter.prettyUtf8(w -> {
 *     w.writeStartObject();
 *     w.writeStringField("model", "fraud");
 *     w.writeEndObject();
 * });
 * }</pre>
 *
 * <p>Not thread-safe: one writer per document, on one thread; the entry points themselves are
 * thread-safe.
 */
public final class StrictJsonWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(JsonWriteFeature.QUOTE_FIELD_NAMES)
            .disable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .enable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .disable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS)
            .streamWriteConstraints(StreamWriteConstraints.builder()
                    .maxNestingDepth(StrictJsonReader.MAX_DEPTH)
                    .build())
            .build();

    /** Writes one document's value, usually an object. */
    @FunctionalInterface
    public interface Body {
        /** @param w the writer, where the document's value is expected */
        void write(StrictJsonWriter w);
    }

    private final JsonGenerator g;

    private StrictJsonWriter(JsonGenerator g) {
        this.g = g;
    }

    /**
     * @param body writes the document
     * @return the document on one line, without whitespace or a line break at the end
     */
    public static String compact(Body body) {
        StringWriter out = new StringWriter();
        write(body, out, false);
        return out.toString();
    }

    /**
     * @param body writes the document
     * @return the document indented by Jackson's default pretty printer, with a line break at the end
     */
    public static String pretty(Body body) {
        StringWriter out = new StringWriter();
        write(body, out, true);
        return out.append('\n').toString();
    }

    /**
     * @param body writes the document
     * @return the document as {@link #pretty} writes it, encoded as UTF-8, as a file holds it, except
     *     that a character outside the Basic Multilingual Plane is written as the escapes of its surrogate
     *     pair, as the filesystem store's files have always held it
     */
    public static byte[] prettyUtf8(Body body) {
        Objects.requireNonNull(body, "body");
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            run(body, g, true);
        } catch (IOException e) {
            throw failure(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void write(Body body, Writer out, boolean pretty) {
        Objects.requireNonNull(body, "body");
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            run(body, g, pretty);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private static void run(Body body, JsonGenerator g, boolean pretty) {
        if (pretty) {
            g.useDefaultPrettyPrinter();
        }
        StrictJsonWriter w = new StrictJsonWriter(g);
        body.write(w);
        // closing the generator would end open objects and arrays silently, and Jackson separates
        // several top-level values with a space: neither is a document of one value
        JsonStreamContext c = g.getOutputContext();
        if (!c.inRoot()) {
            throw new IllegalStateException("the document's writer left " + w.pointer() + " open");
        }
        if (c.getEntryCount() != 1) {
            throw new IllegalStateException("a document is one value; its writer wrote " + c.getEntryCount());
        }
    }

    /** Writes to memory cannot fail for want of space: what Jackson reports is a misuse of the generator. */
    private static RuntimeException failure(IOException e) {
        if (e instanceof JsonProcessingException jpe) {
            return new IllegalStateException("writing JSON: " + jpe.getOriginalMessage(), e);
        }
        return new UncheckedIOException("writing JSON to memory failed", e);
    }

    /** Starts an object where a value is expected. */
    public void writeStartObject() {
        try {
            g.writeStartObject();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Ends the current object. */
    public void writeEndObject() {
        try {
            g.writeEndObject();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Starts an array where a value is expected. */
    public void writeStartArray() {
        try {
            g.writeStartArray();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Ends the current array. */
    public void writeEndArray() {
        try {
            g.writeEndArray();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * @param name the next field's name, whose value is written next
     * @throws IllegalStateException when the current object already holds a field of that name
     */
    public void writeFieldName(String name) {
        Objects.requireNonNull(name, "name");
        try {
            g.writeFieldName(name);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** @param value a string, written where a value is expected */
    public void writeString(String value) {
        if (value == null) {
            throw new NullPointerException("string value at " + pointer() + " must not be null; write a JSON null"
                    + " with writeNull()");
        }
        try {
            g.writeString(value);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** @param value an integer, written where a value is expected */
    public void writeNumber(long value) {
        try {
            g.writeNumber(value);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * @param value a finite number, written where a value is expected as {@link Double#toString} writes it
     * @throws IllegalArgumentException when it is NaN or infinite, which no reader of this library accepts
     */
    public void writeNumber(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("number at " + pointer() + " must be finite, was " + value);
        }
        try {
            g.writeNumber(value);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Writes {@code null} where a value is expected. */
    public void writeNull() {
        try {
            g.writeNull();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * @param name the field's name
     * @param value its value
     */
    public void writeStringField(String name, String value) {
        writeFieldName(name);
        writeString(value);
    }

    /**
     * @param name the field's name
     * @param value its value
     */
    public void writeNumberField(String name, long value) {
        writeFieldName(name);
        writeNumber(value);
    }

    /**
     * @param name the field's name
     * @param value its value, finite
     * @throws IllegalArgumentException when it is NaN or infinite
     */
    public void writeNumberField(String name, double value) {
        writeFieldName(name);
        writeNumber(value);
    }

    /**
     * Writes a number that may be NaN or infinite, for formats that keep such values: a finite value as
     * {@link #writeNumber(double)} writes it, NaN and the infinities as the strings {@code "NaN"},
     * {@code "Infinity"} and {@code "-Infinity"}, which {@link StrictJsonReader#doubleOrNonFinite()} reads.
     *
     * @param name the field's name
     * @param value its value, any double
     */
    public void writeNumberOrNonFiniteField(String name, double value) {
        writeFieldName(name);
        if (Double.isFinite(value)) {
            writeNumber(value);
        } else {
            writeString(Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    /**
     * @param name the field's name
     * @param value its value
     */
    public void writeBooleanField(String name, boolean value) {
        writeFieldName(name);
        try {
            g.writeBoolean(value);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** @param name a field whose value is {@code null} */
    public void writeNullField(String name) {
        writeFieldName(name);
        writeNull();
    }

    /** @param name a field whose value, an array, starts here */
    public void writeArrayFieldStart(String name) {
        writeFieldName(name);
        writeStartArray();
    }

    /** @param name a field whose value, an object, starts here */
    public void writeObjectFieldStart(String name) {
        writeFieldName(name);
        writeStartObject();
    }

    /**
     * Writes an array of numbers where a value is expected: the counterpart of
     * {@link StrictJsonReader#doubleArray}.
     *
     * @param values the source, each finite
     * @param from first index, inclusive
     * @param to last index, exclusive
     */
    public void writeNumbers(double[] values, int from, int to) {
        Objects.checkFromToIndex(from, to, values.length);
        writeStartArray();
        for (int i = from; i < to; i++) {
            writeNumber(values[i]);
        }
        writeEndArray();
    }

    /**
     * @param name the field's name
     * @param values its value, an array of all these numbers, each finite
     */
    public void writeNumbersField(String name, double[] values) {
        writeFieldName(name);
        writeNumbers(values, 0, values.length);
    }

    /**
     * Writes a whole document of another format, as its own writer wrote it, where a value is expected:
     * the counterpart of {@link StrictJsonReader#embedded}.
     *
     * @param json the document, written by this class
     */
    public void writeEmbedded(String json) {
        Objects.requireNonNull(json, "json");
        try {
            g.writeRawValue(json);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** The JSON Pointer of the value about to be written, for messages. */
    private String pointer() {
        JsonStreamContext c = g.getOutputContext();
        // an array's own index is that of the last element written, not of the next one
        String p = c.inArray() ? c.getParent().pathAsPointer() + "/" + c.getEntryCount() : c.pathAsPointer().toString();
        return p.isEmpty() ? "the top level" : p;
    }
}
