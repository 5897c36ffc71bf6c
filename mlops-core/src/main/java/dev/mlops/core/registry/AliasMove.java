package dev.mlops.core.registry;

import dev.mlops.core.Names;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One change of an alias, kept in its history.
 *
 * @param model the model
 * @param alias the alias
 * @param kind set, rollback or removal
 * @param from the previous target, empty when the alias was unset
 * @param to the new target, empty when the alias was removed
 * @param at when it happened
 * @param actor who did it
 * @param reason why
 */
public record AliasMove(String model, String alias, Kind kind, OptionalLong from, OptionalLong to, Instant at,
        String actor, String reason) {

    /** What kind of change. */
    public enum Kind {
        /** {@link ModelStore#setAlias}. */
        SET,
        /** {@link ModelStore#rollback}. */
        ROLLBACK,
        /** {@link ModelStore#removeAlias}. */
        REMOVE
    }

    /**
     * Validates the parts.
     *
     * @param model the model
     * @param alias the alias
     * @param kind set, rollback or removal
     * @param from the previous target, empty when the alias was unset
     * @param to the new target, empty when the alias was removed
     * @param at when it happened
     * @param actor who did it
     * @param reason why
     */
    public AliasMove {
        Names.checkModel(model);
        Names.checkAlias(alias);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if ((kind == Kind.REMOVE) != to.isEmpty()) {
            throw new IllegalArgumentException("an alias move has no target exactly when it is a removal");
        }
        Objects.requireNonNull(at, "at");
        new ChangeNote(actor, reason);
    }
}
