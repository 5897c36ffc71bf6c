package dev.mlops.core.audit;

import dev.mlops.core.Texts;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who did what to which target, with what outcome, as handed to {@link AuditLog#append(AuditEvent)}.
 * The log adds the index and the time.
 *
 * <p>Text follows the library's one set of rules ({@link Texts}): actor, action, target and detail keys
 * are single lines (no control character at all, so no rendering of the log can be forged with a line
 * break); detail values are free text like the registry's (line feed and tab allowed, so that a
 * change note's reason can be recorded verbatim). No text may hold an unpaired surrogate, so that the
 * canonical UTF-8 bytes ({@link AuditRecord}) are exact. Details are kept in code point order, which is
 * the order of their UTF-8 bytes and the order of the canonical form.
 *
 * <pre>{@code
 * log.append(AuditEvent.of("alice", "alias.set", "fraud-scorer@champion").with("from", "6").with("to", "7"));
 * log.append(AuditEvent.of("bob", "model.delete", "fraud-scorer:3").withOutcome(AuditEvent.Outcome.DENIED));
 * }</pre>
 *
 * @param actor who acted (one line, 1 to 200 characters)
 * @param action what was done, a dotted verb such as {@code model.register} (one line, 1 to 100 characters)
 * @param target what it was done to, such as {@code fraud-scorer:7} (one line, 0 to 500 characters)
 * @param outcome whether it was done, refused or failed
 * @param details further facts, never secrets; keys one line of 1 to 100 characters, values free text
 *        of up to 4000, at most {@value #MAX_DETAILS} of them; the copy kept iterates in code point order
 */
public record AuditEvent(String actor, String action, String target, Outcome outcome, Map<String, String> details) {
    /** Most details one event may carry. */
    public static final int MAX_DETAILS = 64;

    /** Code point order: for well-formed strings, the order of their UTF-8 bytes. */
    static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    /** Whether the action happened. */
    public enum Outcome {
        /** It was permitted and done. */
        ALLOWED,
        /** Access control refused it; nothing changed. */
        DENIED,
        /** It was permitted but failed (an error, a conflict); nothing changed, or the store says what did. */
        FAILED
    }

    /**
     * Validates and copies the parts.
     *
     * @param actor who acted (one line, 1 to 200 characters)
     * @param action what was done, a dotted verb such as {@code model.register} (one line, 1 to 100 characters)
     * @param target what it was done to, such as {@code fraud-scorer:7} (one line, 0 to 500 characters)
     * @param outcome whether it was done, refused or failed
     * @param details further facts, never secrets; keys one line of 1 to 100 characters, values free text of up to
     *     4000, at most {@value #MAX_DETAILS} of them; the copy kept iterates in code point order
     */
    public AuditEvent {
        line("actor", actor, 1, 200);
        line("action", action, 1, 100);
        line("target", target, 0, 500);
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(details, "details");
        if (details.size() > MAX_DETAILS) {
            throw new IllegalArgumentException("an event carries at most " + MAX_DETAILS + " details, was " + details.size());
        }
        TreeMap<String, String> copy = new TreeMap<>(CODE_POINT_ORDER);
        details.forEach((k, v) -> {
            line("detail key", k, 1, 100);
            Texts.wellFormed("detail " + k, Texts.check("detail " + k, v, 0, 4000));
            copy.put(k, v);
        });
        details = Collections.unmodifiableSortedMap(copy);
    }

    private static void line(String what, String value, int min, int max) {
        Texts.wellFormed(what, Texts.line(what, value, min, max));
    }

    /**
     * @param actor who
     * @param action what
     * @param target to which target
     * @return an {@link Outcome#ALLOWED} event without details
     */
    public static AuditEvent of(String actor, String action, String target) {
        return new AuditEvent(actor, action, target, Outcome.ALLOWED, Map.of());
    }

    /**
     * @param outcome the outcome
     * @return this event with that outcome
     */
    public AuditEvent withOutcome(Outcome outcome) {
        return new AuditEvent(actor, action, target, outcome, details);
    }

    /**
     * @param key detail key
     * @param value detail value
     * @return this event with the detail added
     * @throws IllegalArgumentException when the key is already set or either text breaks the rules
     */
    public AuditEvent with(String key, String value) {
        Objects.requireNonNull(key, "detail key");
        Objects.requireNonNull(value, "detail " + key);
        TreeMap<String, String> more = new TreeMap<>(details);
        if (more.put(key, value) != null) {
            throw new IllegalArgumentException("detail " + key + " is already set");
        }
        return new AuditEvent(actor, action, target, outcome, more);
    }
}
