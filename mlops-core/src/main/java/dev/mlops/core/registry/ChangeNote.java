package dev.mlops.core.registry;

import java.util.Objects;

/**
 * Who makes a change and why, recorded with alias moves, deletions and new versions.
 *
 * <pre>{@code
 * store.rollback("fraud-scorer", "champion", ChangeNote.by("alice").because("p99 latency doubled"));
 * }</pre>
 *
 * @param actor who acts: a user, a service account, a pipeline run (at most 200 characters)
 * @param reason why, free text (at most 2000 characters, may be empty)
 */
public record ChangeNote(String actor, String reason) {
    /** The note used when the caller gives none. */
    public static final ChangeNote NONE = new ChangeNote("unknown", "");

    /**
     * Validates the parts.
     *
     * @param actor who acts: a user, a service account, a pipeline run (at most 200 characters)
     * @param reason why, free text (at most 2000 characters, may be empty)
     */
    public ChangeNote {
        Texts.check("actor", actor, 1, 200);
        Texts.check("reason", reason, 0, 2000);
    }

    /**
     * @param actor who acts
     * @return a note with no reason yet
     */
    public static ChangeNote by(String actor) {
        return new ChangeNote(actor, "");
    }

    /**
     * @param why the reason
     * @return this note with the reason replaced
     */
    public ChangeNote because(String why) {
        return new ChangeNote(actor, Objects.requireNonNull(why, "why"));
    }
}
