package dev.mlops.core;

import java.util.Objects;

/**
 * The one set of rules for free text a user supplies (descriptions, actors, reasons, audit events):
 * bounded length, no control characters. Written once here so that the registry and the audit log
 * refuse exactly the same input.
 *
 * <ul>
 *   <li>{@link #check}: free text; line feed and tab are allowed, every other control character
 *       ({@link Character#isISOControl(char)}) is refused;</li>
 *   <li>{@link #line}: one line; no control character at all, so a value can be printed on one line
 *       of a log or a terminal without forging another;</li>
 *   <li>{@link #key}: a key such as a metric or parameter name: one line, 1 to 250 characters;</li>
 *   <li>{@link #wellFormed}: no unpaired surrogate, so that the value's UTF-8 encoding is exact and
 *       two different strings never encode to the same bytes (hashed formats need this).</li>
 * </ul>
 *
 * Messages name the value, what was expected and where it broke the rule; the value is quoted with
 * {@link Names#quote(String)}, so hostile input cannot forge log lines. Stateless and thread-safe.
 *
 * <pre>{@code
 * Texts.check("description", "two\nlines", 0, 10_000);   // returns it
 * Texts.line("actor", "alice\nroot", 1, 200);            // throws IllegalArgumentException
 * }</pre>
 */
public final class Texts {
    private Texts() {
    }

    /**
     * @param what what the value is, for the message
     * @param value free text
     * @param min fewest characters (UTF-16 code units)
     * @param max most characters
     * @return {@code value}
     * @throws IllegalArgumentException when it is too short or too long, or holds a control character
     *         other than line feed and tab
     * @throws NullPointerException naming {@code what} when it is null
     */
    public static String check(String what, String value, int min, int max) {
        length(what, value, min, max);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw controlCharacter(what, value, i);
            }
        }
        return value;
    }

    /**
     * @param what what the value is, for the message
     * @param value one line of text
     * @param min fewest characters (UTF-16 code units)
     * @param max most characters
     * @return {@code value}
     * @throws IllegalArgumentException when it is too short or too long, or holds any control
     *         character, line feed and tab included
     */
    public static String line(String what, String value, int min, int max) {
        length(what, value, min, max);
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw controlCharacter(what, value, i);
            }
        }
        return value;
    }

    /**
     * @param what what the key is, for the message
     * @param key a key: one line, 1 to 250 characters
     * @return {@code key}
     * @throws IllegalArgumentException when it breaks the rule
     */
    public static String key(String what, String key) {
        check(what, key, 1, 250);
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new IllegalArgumentException(what + " must not contain control characters: " + Names.quote(key));
            }
        }
        return key;
    }

    /**
     * @param what what the value is, for the message
     * @param value any text
     * @return {@code value}
     * @throws IllegalArgumentException when it holds a surrogate that is not half of a pair
     */
    public static String wellFormed(String what, String value) {
        Objects.requireNonNull(value, what);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " must be well-formed Unicode, found an unpaired surrogate U+"
                        + String.format("%04X", (int) c) + " at index " + i + ": " + Names.quote(value));
            }
        }
        return value;
    }

    private static void length(String what, String value, int min, int max) {
        Objects.requireNonNull(value, what);
        if (value.length() < min || value.length() > max) {
            throw new IllegalArgumentException(what + " must be " + min + " to " + max + " characters, was "
                    + value.length() + ": " + Names.quote(value));
        }
    }

    private static IllegalArgumentException controlCharacter(String what, String value, int i) {
        return new IllegalArgumentException(what + " must not contain control characters, found U+"
                + String.format("%04X", (int) value.charAt(i)) + " at index " + i + ": " + Names.quote(value));
    }
}
