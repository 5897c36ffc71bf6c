package dev.mlops.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.Names;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one way this library reads a JSON document it did not write itself: every reader of a saved
 * format (drift references, detector states, manifests, audit segments) goes through this class, so
 * that all of them are strict in the same way.
 *
 * <ul>
 *   <li>one JSON value and nothing after it; no duplicate keys; no comments, no NaN, no single quotes;</li>
 *   <li>strict types: a number where a number is expected ({@code "1"} is not 1), an integer where an
 *       integer is expected ({@code 1.0} is not 1), every integer and array length within a range the
 *       caller states, every double finite;</li>
 *   <li>bounded: the document's length, nesting depth, number and string lengths are capped before
 *       anything is allocated for them, and every array is read against a stated maximum length;</li>
 *   <li>every failure is an {@link InvalidFormatException}: one line, the document's name, the JSON
 *       Pointer of the value at fault and the character offset; input is quoted only escaped and
 *       shortened, and no parser text with line breaks or source excerpts gets through.</li>
 * </ul>
 *
 * <p>A reader made by {@link JsonFormat#reader} reads its format's header itself: {@link #nextField()}
 * takes the top-level {@code format} and {@code version} fields, wherever they stand, and checks them
 * as soon as they are read, so that a document of another format or a newer version is reported as
 * such rather than as whatever in its body this library would refuse. Unknown fields are recorded by
 * {@link #skipUnknown()} and rejected by {@link #checkHeader()}, after it has checked that both header
 * fields are there; {@link #endDocument()} refuses to end a document whose header was not checked.
 *
 * <p>Not thread-safe: one reader per document, on one thread.
 */
public final class StrictJsonReader implements AutoCloseable {
    /** Longest accepted number literal: any double's or long's shortest form fits with room to spare. */
    public static final int MAX_NUMBER_LENGTH = 64;
    /** Deepest accepted nesting of objects and arrays. */
    public static final int MAX_DEPTH = 32;
    /** Longest accepted string or field name, in characters. */
    public static final int MAX_STRING_LENGTH = 65_536;

    private final String document;
    private final JsonParser parser;
    /** The format whose header this reader reads itself; null when its caller reads the header. */
    private final JsonFormat format;
    private String unknownPath;
    private long unknownOffset = -1;
    private String foundFormat;
    private long foundFormatAt = -1;
    private long foundVersion = -1;
    private long foundVersionAt = -1;
    private boolean headerChecked;

    private StrictJsonReader(String document, JsonParser parser, JsonFormat format) {
        this.document = document;
        this.parser = parser;
        this.format = format;
    }

    /**
     * A reader of a document with no header; every saved format's reader is made by
     * {@link JsonFormat#reader} instead.
     *
     * @param document what is read, for messages, for example {@code "drift reference JSON"}
     * @param json the text
     * @param maxChars the longest document accepted, in characters
     * @return a reader positioned before the first token
     * @throws InvalidFormatException when the text is longer than {@code maxChars}
     */
    static StrictJsonReader of(String document, String json, long maxChars) {
        return of(document, json, maxChars, null);
    }

    static StrictJsonReader of(String document, String json, long maxChars, JsonFormat format) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(json, "json");
        if (json.length() > maxChars) {
            throw new InvalidFormatException(document, "", -1, "document is " + json.length()
                    + " characters long, the limit is " + maxChars);
        }
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNameLength(MAX_STRING_LENGTH)
                        .maxDocumentLength(maxChars)
                        .build())
                .build();
        try {
            return new StrictJsonReader(document, factory.createParser(json), format);
        } catch (IOException e) {
            throw parseError(document, e);
        }
    }

    /** @return what is read, as messages name it */
    public String document() {
        return document;
    }

    /**
     * Expects the start of an object.
     *
     * @throws InvalidFormatException when the next value is not an object
     */
    public void beginObject() {
        expect(next(), JsonToken.START_OBJECT, "an object");
    }

    /**
     * Moves to the next field of the current object. In the top-level object of a reader made by
     * {@link JsonFormat#reader}, the {@code format} and {@code version} fields are read and checked
     * here and never returned.
     *
     * @return true with the reader on a field name (read it with {@link #field()}, then read its
     *     value), false at the end of the object
     * @throws InvalidFormatException when a header field read here is of the wrong type, names another
     *     format, or, once the format is known, a version other than the one supported
     */
    public boolean nextField() {
        while (true) {
            JsonToken t = next();
            if (t == JsonToken.END_OBJECT) {
                return false;
            }
            if (t != JsonToken.FIELD_NAME) {
                throw fail("expected a field name, found " + describe(t));
            }
            if (format == null || !parser.getParsingContext().getParent().inRoot() || !readHeaderField()) {
                return true;
            }
        }
    }

    /**
     * Reads the top-level field the reader is on when it is a header field, and checks what the header
     * says so far: the format as soon as it is read, the version once the format is known.
     *
     * @return false when the field is not a header field
     */
    private boolean readHeaderField() {
        switch (field()) {
            case "format" -> {
                foundFormat = string(JsonFormat.MAX_NAME_LENGTH);
                foundFormatAt = offset();
            }
            case "version" -> {
                foundVersion = longValue(0, Integer.MAX_VALUE);
                foundVersionAt = offset();
            }
            default -> {
                return false;
            }
        }
        if (foundFormat != null) {
            checkFormat(format, foundFormat, foundFormatAt);
            if (foundVersion >= 0) {
                checkVersion(format, foundVersion, foundVersionAt);
            }
        }
        return true;
    }

    /** @return the name of the field the reader is on */
    public String field() {
        try {
            return parser.currentName();
        } catch (IOException e) {
            throw parseError(e);
        }
    }

    /**
     * Expects the start of an array.
     *
     * @throws InvalidFormatException when the next value is not an array
     */
    public void beginArray() {
        expect(next(), JsonToken.START_ARRAY, "an array");
    }

    /**
     * Moves to the next element of the current array; the caller then reads it.
     *
     * @param index the element's index, counted by the caller
     * @param maxLength the most elements the array may hold
     * @return true when there is an element (the reader is on its first token), false at the end of the array
     * @throws InvalidFormatException when {@code index} reaches {@code maxLength} and there is another element
     */
    public boolean nextElement(int index, int maxLength) {
        JsonToken t = next();
        if (t == JsonToken.END_ARRAY) {
            return false;
        }
        if (index >= maxLength) {
            throw fail("array holds more than " + maxLength + " elements, the limit");
        }
        return true;
    }

    /** @return whether the token the reader is on (after {@link #nextElement}) starts an object */
    public boolean isObjectStart() {
        return parser.currentToken() == JsonToken.START_OBJECT;
    }

    /** @return whether the token the reader is on (after {@link #nextElement}) starts an array */
    public boolean isArrayStart() {
        return parser.currentToken() == JsonToken.START_ARRAY;
    }

    /**
     * Moves to the next value and tells whether it is {@code null}; when it is not, the reader is on
     * its first token, to be read with {@link #currentLong}, {@link #currentFiniteDouble} or checked
     * with {@link #isArrayStart()} / {@link #isObjectStart()}.
     *
     * @return true when the next value is JSON {@code null}
     */
    public boolean nextIsNull() {
        return next() == JsonToken.VALUE_NULL;
    }

    /**
     * An error found after a value was read, when the reader has moved on: a size that disagrees with
     * another field, a band that is not ordered.
     *
     * @param path the JSON Pointer of the value at fault, such as {@code /rows/3}
     * @param reason what was expected and what was found, one line
     * @return the error at that path and the offset where the reader stands, to throw
     */
    public InvalidFormatException failAt(String path, String reason) {
        return new InvalidFormatException(document, printable(path, 200), offset(), reason);
    }

    /**
     * @return the next value, a string
     * @throws InvalidFormatException when it is of another type
     */
    public String string() {
        return stringOn(next());
    }

    /**
     * @param maxLength the longest string accepted
     * @return the next value, a string of at most {@code maxLength} characters
     * @throws InvalidFormatException when it is of another type or longer
     */
    public String string(int maxLength) {
        String s = string();
        if (s.length() > maxLength) {
            throw fail("expected at most " + maxLength + " characters, found " + s.length());
        }
        return s;
    }

    /**
     * @param maxLength the longest string accepted
     * @return the current token (after {@link #nextElement}) read as a string of at most {@code maxLength}
     *     characters
     * @throws InvalidFormatException when it is of another type or longer
     */
    public String currentString(int maxLength) {
        String s = stringOn(parser.currentToken());
        if (s.length() > maxLength) {
            throw fail("expected at most " + maxLength + " characters, found " + s.length());
        }
        return s;
    }

    /** The current token, which must be a string, read as one. */
    private String stringOn(JsonToken t) {
        expect(t, JsonToken.VALUE_STRING, "a string");
        try {
            return parser.getText();
        } catch (IOException e) {
            throw parseError(e);
        }
    }

    /**
     * @param min the smallest value accepted
     * @param max the largest value accepted
     * @return the next value, an integer in {@code [min, max]}
     * @throws InvalidFormatException when it is not an integer literal, or out of range
     */
    public long longValue(long min, long max) {
        return longOn(next(), min, max);
    }

    /**
     * Reads the current token, already moved to (by {@link #nextElement}), as an integer in range.
     *
     * @param min the smallest value accepted
     * @param max the largest value accepted
     * @return the integer
     */
    public long currentLong(long min, long max) {
        return longOn(parser.currentToken(), min, max);
    }

    private long longOn(JsonToken t, long min, long max) {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw fail("expected an integer in [" + min + ", " + max + "], found " + describe(t));
        }
        try {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw fail("expected an integer in [" + min + ", " + max + "], found " + shorten(parser.getText()));
            }
            long v = parser.getLongValue();
            if (v < min || v > max) {
                throw fail("expected an integer in [" + min + ", " + max + "], found " + v);
            }
            return v;
        } catch (IOException e) {
            throw parseError(e);
        }
    }

    /**
     * @param min the smallest value accepted
     * @param max the largest value accepted
     * @return the next value, an integer in {@code [min, max]}
     */
    public int intValue(int min, int max) {
        return (int) longValue(min, max);
    }

    /**
     * @return the next value, a number (integer or decimal literal) whose double value is finite
     * @throws InvalidFormatException when it is not a number, or beyond the range of a double
     */
    public double finiteDouble() {
        return doubleOn(next());
    }

    /** @return the current token read as a finite double (after {@link #nextElement}) */
    public double currentFiniteDouble() {
        return doubleOn(parser.currentToken());
    }

    private double doubleOn(JsonToken t) {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw fail("expected a number, found " + describe(t));
        }
        try {
            double v = parser.getDoubleValue();
            if (!Double.isFinite(v)) {
                throw fail("expected a finite number, found " + shorten(parser.getText()) + ", beyond the range of a double");
            }
            return v;
        } catch (IOException e) {
            throw parseError(e);
        }
    }

    /**
     * Reads a number that may be NaN or infinite, as {@link StrictJsonWriter#writeNumberOrNonFiniteField}
     * writes it: a finite number, or one of the strings {@code "NaN"}, {@code "Infinity"} and
     * {@code "-Infinity"}.
     *
     * @return the next value as a double
     * @throws InvalidFormatException when it is of another type, another string, or a number beyond the
     *     range of a double (an infinity is spelled as a string)
     */
    public double doubleOrNonFinite() {
        JsonToken t = next();
        if (t == JsonToken.VALUE_STRING) {
            switch (stringOn(t)) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> throw fail("expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", found "
                        + describe(t));
            }
        }
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw fail("expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", found " + describe(t));
        }
        return doubleOn(t);
    }

    /**
     * @param maxLength the most elements accepted
     * @return the next value, an array of finite numbers
     * @throws InvalidFormatException when it is not an array, an element is not a finite number, or it is longer
     */
    public double[] doubleArray(int maxLength) {
        beginArray();
        double[] out = new double[16];
        int n = 0;
        while (nextElement(n, maxLength)) {
            double v = currentFiniteDouble();
            if (n == out.length) {
                out = Arrays.copyOf(out, (int) Math.min((long) n * 2, maxLength));
            }
            out[n++] = v;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * @return the next value, {@code true} or {@code false}
     * @throws InvalidFormatException when it is of another type
     */
    public boolean booleanValue() {
        JsonToken t = next();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw fail("expected true or false, found " + describe(t));
        }
        return t == JsonToken.VALUE_TRUE;
    }

    /**
     * Reads the next value, an object, as text and hands it to a reader of its own format: a document
     * embedded in another is read by its own reader, and its errors come back with the outer path and
     * offset.
     *
     * @param <T> what the inner reader makes
     * @param json the whole outer document, the same text this reader reads
     * @param inner the inner format's reader
     * @return what the inner reader made
     */
    public <T> T embedded(String json, Function<String, T> inner) {
        expect(next(), JsonToken.START_OBJECT, "an object");
        String path = path();
        long from = parser.currentTokenLocation().getCharOffset();
        try {
            parser.skipChildren();
        } catch (IOException e) {
            throw parseError(e);
        }
        long to = parser.currentLocation().getCharOffset();
        try {
            return inner.apply(json.substring((int) from, (int) to));
        } catch (InvalidFormatException e) {
            throw new InvalidFormatException(document, path + e.path(), e.offset() < 0 ? -1 : from + e.offset(),
                    e.reason());
        }
    }

    /** Skips the value of an unknown field, remembering the first one for {@link #rejectUnknown()}. */
    public void skipUnknown() {
        if (unknownPath == null) {
            unknownPath = path();
            unknownOffset = parser.currentTokenLocation().getCharOffset();
        }
        next();
        try {
            parser.skipChildren();
        } catch (IOException e) {
            throw parseError(e);
        }
    }

    /**
     * @throws InvalidFormatException naming the first unknown field skipped, if any
     */
    public void rejectUnknown() {
        if (unknownPath != null) {
            throw new InvalidFormatException(document, unknownPath, unknownOffset, "unknown field");
        }
    }

    /**
     * Ends the document: nothing but whitespace may follow the top-level value.
     *
     * @throws InvalidFormatException when something does
     * @throws IllegalStateException when the reader was made by {@link JsonFormat#reader} and
     *     {@link #checkHeader()} was not called
     */
    public void endDocument() {
        if (format != null && !headerChecked) {
            throw new IllegalStateException("the reader of " + document + " ends the document without checkHeader()");
        }
        JsonToken t = next();
        if (t != null) {
            throw fail("expected the end of the document, found " + describe(t));
        }
    }

    /**
     * @param field a field the current object must hold
     * @return the error to throw when it does not
     */
    public InvalidFormatException missing(String field) {
        // called at the end of the object, when the parser's context is already the object's own pointer
        return new InvalidFormatException(document, path() + "/" + printable(escapePointer(field), 100), offset(),
                "missing field");
    }

    /**
     * @param reason what was expected and what was found, one line
     * @return the error at the current value, to throw
     */
    public InvalidFormatException fail(String reason) {
        return new InvalidFormatException(document, path(), offset(), reason);
    }

    /**
     * @return the {@code version} of the document, once {@link #checkHeader()} has passed: for a format
     *     that reads several versions ({@link JsonFormat#oldestRead()}), the one to read it as
     * @throws IllegalStateException before {@link #checkHeader()}
     */
    public int formatVersion() {
        if (!headerChecked) {
            throw new IllegalStateException("the version of " + document + " is known after checkHeader()");
        }
        return (int) foundVersion;
    }

    /**
     * Ends the reading of the top-level object of a reader made by {@link JsonFormat#reader}: checks
     * that the header was there, then that no unknown field was skipped, in that order, so that a
     * newer version is reported as such rather than as an unknown field.
     *
     * @throws InvalidFormatException when {@code format} or {@code version} is missing, or naming the
     *     first unknown field skipped
     * @throws IllegalStateException when the reader was made without a format
     */
    public void checkHeader() {
        if (format == null) {
            throw new IllegalStateException("the reader of " + document + " has no format to check: make it with"
                    + " JsonFormat.reader");
        }
        checkHeader(format, foundFormat, foundFormatAt, foundVersion, foundVersionAt);
        headerChecked = true;
        rejectUnknown();
    }

    private void checkHeader(JsonFormat expected, String found, long foundAt, long version, long versionAt) {
        if (found == null) {
            throw new InvalidFormatException(document, "/format", -1, "missing field, expected \"" + expected.name()
                    + "\"");
        }
        checkFormat(expected, found, foundAt);
        if (version < 0) {
            throw new InvalidFormatException(document, "/version", -1, "missing field, expected " + expected.version());
        }
        checkVersion(expected, version, versionAt);
    }

    private void checkFormat(JsonFormat expected, String found, long at) {
        if (!expected.name().equals(found)) {
            throw new InvalidFormatException(document, "/format", at, "expected \"" + expected.name() + "\", found "
                    + Names.quote(found));
        }
    }

    private void checkVersion(JsonFormat expected, long version, long at) {
        if (version < expected.oldestRead() || version > expected.version()) {
            throw new InvalidFormatException(document, "/version", at, "format \"" + expected.name() + "\" version "
                    + version + " is not supported; this library reads version " + (expected.oldestRead()
                    == expected.version() ? expected.version() : expected.oldestRead() + " to " + expected.version()));
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw parseError(e);
        }
    }

    private JsonToken next() {
        try {
            return parser.nextToken();
        } catch (IOException e) {
            throw parseError(e);
        }
    }

    private void expect(JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw fail("expected " + what + ", found " + describe(actual));
        }
    }

    /**
     * @return the JSON Pointer of the value the reader is on (shortened and escaped for messages), to
     *     name it in a {@link #failAt} raised later, when the whole document has been read
     */
    public String path() {
        return printable(parser.getParsingContext().pathAsPointer().toString(), 200);
    }

    private long offset() {
        return parser.currentTokenLocation().getCharOffset();
    }

    private String describe(JsonToken t) {
        if (t == null) {
            return "the end of the document";
        }
        try {
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case END_OBJECT -> "the end of an object";
                case END_ARRAY -> "the end of an array";
                case FIELD_NAME -> "field " + Names.quote(parser.currentName());
                case VALUE_STRING -> "string " + Names.quote(parser.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + shorten(parser.getText());
                case VALUE_TRUE -> "true";
                case VALUE_FALSE -> "false";
                case VALUE_NULL -> "null";
                default -> t.toString();
            };
        } catch (IOException e) {
            throw parseError(e);
        }
    }

    private static String shorten(String literal) {
        return literal.length() <= 40 ? literal : literal.substring(0, 40) + "...(" + literal.length() + " chars)";
    }

    /**
     * Jackson's own message, cut to its first line and stripped of source excerpts and location suffixes,
     * with any non-printable character escaped; the position comes from the exception's location.
     */
    private InvalidFormatException parseError(IOException e) {
        InvalidFormatException error = parseError(document, e);
        if (error.offset() >= 0) {
            return error;
        }
        return new InvalidFormatException(document, error.path(), parser.currentLocation().getCharOffset(), error.reason());
    }

    private static InvalidFormatException parseError(String document, IOException e) {
        String reason;
        long offset = -1;
        if (e instanceof JsonProcessingException jpe) {
            reason = jpe.getOriginalMessage();
            JsonLocation at = jpe.getLocation();
            if (at != null) {
                offset = at.getCharOffset();
            }
        } else {
            reason = e.getMessage();
        }
        reason = reason == null ? "not well-formed JSON" : reason;
        int cut = reason.length();
        for (String marker : new String[] {"\n", "\r", " at [Source", " (start marker", " (for "}) {
            int i = reason.indexOf(marker);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        // Jackson's hints name its own settings ("enable `JsonReadFeature...` to allow"): not ours to offer
        String plain = reason.substring(0, cut).replaceAll(",? from `[^`]*`", "")
                .replaceAll(":? *enable `[^`]*` to allow", "").replaceAll(" *\\([^()]*Feature '[^']*'[^()]*\\)", "");
        return new InvalidFormatException(document, "", offset, "not well-formed JSON: " + printable(plain, 160));
    }

    /**
     * Text from the input made safe for a one-line message: every character outside printable ASCII
     * escaped as a backslash-u escape, cut after {@code max} characters with the full length noted.
     */
    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder();
        int limit = Math.min(s.length(), max);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        if (s.length() > limit) {
            b.append("...(").append(s.length()).append(" chars)");
        }
        return b.toString();
    }

    private static String escapePointer(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
