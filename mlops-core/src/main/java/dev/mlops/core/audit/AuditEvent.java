package dev.mlops.core.audit;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who did what to which target, as handed to {@link AuditLog#append(AuditEvent)}. The log adds the
 * index, the time and the hash chain.
 *
 * <pre>{@code
 * log.append(AuditEvent.of("alice", "alias.set", "fraud-scorer@champion").with("from", "6").with("to", "7"));
 * }</pre>
 *
 * @param actor who acted (1 to 200 characters)
 * @param action what was done, a dotted verb such as {@code model.register} (1 to 100 characters)
 * @param target what it was done to, such as {@code fraud-scorer:7} (0 to 500 characters)
 * @param details further facts, never secrets; keys 1 to 100 characters, values up to 4000
 */
public record AuditEvent(String actor, String action, String target, Map<String, String> details) {
    /** Validates and copies the parts. */
    public AuditEvent {
        text("actor", actor, 1, 200);
        text("action", action, 1, 100);
        text("target", target, 0, 500);
        TreeMap<String, String> copy = new TreeMap<>();
        Objects.requireNonNull(details, "details").forEach((k, v) -> copy.put(text("detail key", k, 1, 100),
                text("detail " + k, v, 0, 4000)));
        details = Collections.unmodifiableMap(copy);
    }

    private static String text(String what, String value, int min, int max) {
        Objects.requireNonNull(value, what);
        if (value.length() < min || value.length() > max) {
            throw new IllegalArgumentException(what + " must be " + min + " to " + max + " characters, was " + value.length());
        }
        return value;
    }

    /**
     * @param actor who
     * @param action what
     * @param target to which target
     * @return an event without details
     */
    public static AuditEvent of(String actor, String action, String target) {
        return new AuditEvent(actor, action, target, Map.of());
    }

    /**
     * @param key detail key
     * @param value detail value
     * @return this event with the detail added
     */
    public AuditEvent with(String key, String value) {
        TreeMap<String, String> more = new TreeMap<>(details);
        if (more.put(key, value) != null) {
            throw new IllegalArgumentException("detail " + key + " is already set");
        }
        return new AuditEvent(actor, action, target, more);
    }
}
