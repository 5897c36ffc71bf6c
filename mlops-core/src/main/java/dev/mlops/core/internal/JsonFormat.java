package dev.mlops.core.internal;

import java.util.Objects;

/**
 * A saved JSON format of this library, declared once: its name, which every document carries in its
 * {@code format} field, and the one version this library writes and reads, in its {@code version}
 * field. Both sides of the format go through it: {@code write...} puts the header first and the
 * format's fields after it, and {@link #reader} reads the header wherever it stands in the top-level
 * object, so that the format's own reader never sees those two fields.
 *
 * <pre>{@code
 * static final JsonFormat FORMAT = new JsonFormat("mlops.drift.reference", 1);
 *
 * String json = FORMAT.writeCompact(w -> w.writeStringField("kind", "numeric"));
 * // {"format":"mlops.drift.reference","version":1,"kind":"numeric"}
 *
 * try (StrictJsonReader r = FORMAT.reader("drift reference JSON", json, MAX_CHARS)) {
 *     r.beginObject();
 *     while (r.nextField()) {
 *         switch (r.field()) {
 *             case "kind" -> kind = r.string(100);
 *             default -> r.skipUnknown();
 *         }
 *     }
 *     r.checkHeader(); // format and version present and supported, then no unknown field
 *     ...
 *     r.endDocument();
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the value of the {@code format} field, such as {@code "mlops.drift.reference"}
 * @param version the version this library writes, and the newest it reads, at least 1
 * @param oldestRead the oldest version this library still reads, from 1 to {@code version}; a reader
 *     learns which one a document has from {@link StrictJsonReader#formatVersion()}
 */
public record JsonFormat(String name, int version, int oldestRead) {
    /** The longest {@code format} value read; longer is not a name of this library's formats. */
    static final int MAX_NAME_LENGTH = 100;

    /**
     * Checks the name is there and the version positive.
     *
     * @param name the value of the {@code format} field, such as {@code "mlops.drift.reference"}
     * @param version the version this library writes, and the newest it reads, at least 1
     * @param oldestRead the oldest version this library still reads, from 1 to {@code version}; a reader learns which
     *     one a document has from {@link StrictJsonReader#formatVersion()}
     */
    public JsonFormat {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name must have 1 to " + MAX_NAME_LENGTH + " characters, had "
                    + name.length());
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
        if (oldestRead < 1 || oldestRead > version) {
            throw new IllegalArgumentException("oldestRead must be 1 to " + version + ", was " + oldestRead);
        }
    }

    /**
     * A format of which this library reads only the version it writes.
     *
     * @param name the value of the {@code format} field
     * @param version the version written and read
     */
    public JsonFormat(String name, int version) {
        this(name, version, version);
    }

    /**
     * @param body writes the format's fields, inside the top-level object after the header
     * @return the document on one line
     */
    public String writeCompact(StrictJsonWriter.Body body) {
        return StrictJsonWriter.compact(headed(body));
    }

    /**
     * @param body writes the format's fields, inside the top-level object after the header
     * @return the document indented, with a line break at the end
     */
    public String writePretty(StrictJsonWriter.Body body) {
        return StrictJsonWriter.pretty(headed(body));
    }

    /**
     * @param body writes the format's fields, inside the top-level object after the header
     * @return the document indented, with a line break at the end, encoded as UTF-8
     */
    public byte[] writePrettyUtf8(StrictJsonWriter.Body body) {
        return StrictJsonWriter.prettyUtf8(headed(body));
    }

    private StrictJsonWriter.Body headed(StrictJsonWriter.Body body) {
        Objects.requireNonNull(body, "body");
        return w -> {
            w.writeStartObject();
            w.writeStringField("format", name);
            w.writeNumberField("version", version);
            body.write(w);
            w.writeEndObject();
        };
    }

    /**
     * @param document what is read, for messages, for example {@code "drift reference JSON"} or a file's name
     * @param json the text
     * @param maxChars the longest document accepted, in characters
     * @return a strict reader of a document in this format, positioned before the first token; it reads
     *     the header itself (see {@link StrictJsonReader#nextField()})
     * @throws dev.mlops.core.InvalidFormatException when the text is longer than {@code maxChars}
     */
    public StrictJsonReader reader(String document, String json, long maxChars) {
        return StrictJsonReader.of(document, json, maxChars, this);
    }
}
