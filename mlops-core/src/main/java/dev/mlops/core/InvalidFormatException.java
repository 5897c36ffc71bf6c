package dev.mlops.core;

import java.util.Objects;

/**
 * A document (a drift reference, a detector's saved state, a manifest) is not in the format its reader
 * expects: malformed JSON, a wrong type, a missing or duplicate field, a value out of range, a size
 * beyond the format's stated limit, content after the document, or a format or version this library
 * does not read.
 *
 * <p>The message is one line and names the document, the field path (a JSON Pointer such as
 * {@code /columns/2/reference/values/17}) and the character offset where the reader stopped; input is
 * quoted only escaped and shortened (see {@link Names#quote(String)}), so a hostile document cannot
 * forge log lines. An {@link IllegalArgumentException}, like every rejected argument in this library.
 */
public final class InvalidFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What was being read. */
    private final String document;
    /** Where in it, as a JSON Pointer. */
    private final String path;
    /** The character offset where the reader stopped. */
    private final long offset;
    /** What was wrong. */
    private final String reason;

    /**
     * @param document what was being read, for example {@code "drift reference JSON"}
     * @param path the JSON Pointer of the value at fault; empty for the whole document
     * @param offset the character offset where reading stopped, or -1 when unknown
     * @param reason what was expected and what was found, one line
     */
    public InvalidFormatException(String document, String path, long offset, String reason) {
        super(message(document, path, offset, reason));
        this.document = document;
        this.path = path;
        this.offset = offset;
        this.reason = reason;
    }

    private static String message(String document, String path, long offset, String reason) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
        return document + ": " + (path.isEmpty() ? "" : "at " + path + ": ") + reason
                + (offset >= 0 ? " (character " + offset + ")" : "");
    }

    /** @return what was being read, for example {@code "drift reference JSON"} */
    public String document() {
        return document;
    }

    /** @return the JSON Pointer of the value at fault; empty for the whole document */
    public String path() {
        return path;
    }

    /** @return what was expected and what was found, without the document, path and offset */
    public String reason() {
        return reason;
    }

    /** @return the character offset where reading stopped, or -1 when unknown */
    public long offset() {
        return offset;
    }
}
