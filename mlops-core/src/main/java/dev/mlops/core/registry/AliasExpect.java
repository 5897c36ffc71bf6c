package dev.mlops.core.registry;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What the caller believes an alias points at before moving it: the compare in compare-and-set.
 * When the belief is wrong the move fails with {@link dev.mlops.core.ConcurrentUpdateException}.
 *
 * <pre>{@code
 * store.setAlias("fraud-scorer", "champion", 7, AliasExpect.current(6));  // only if champion is still v6
 * store.setAlias("fraud-scorer", "staging", 7, AliasExpect.absent());     // only if staging is unset
 * store.setAlias("fraud-scorer", "dev", 7, AliasExpect.any());            // unconditional
 * }</pre>
 *
 * @param kind what is expected
 * @param version the expected target, meaningful only for {@link Kind#CURRENT}
 */
public record AliasExpect(Kind kind, long version) {
    /** What kind of expectation. */
    public enum Kind {
        /** No expectation: move whatever the alias points at. */
        ANY,
        /** The alias must not exist yet. */
        ABSENT,
        /** The alias must point at {@code version}. */
        CURRENT
    }

    /**
     * Validates the parts.
     *
     * @param kind what is expected
     * @param version the expected target, meaningful only for {@link Kind#CURRENT}
     */
    public AliasExpect {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.CURRENT ? version < 1 : version != 0) {
            throw new IllegalArgumentException("expected version must be >= 1 with CURRENT and 0 otherwise, was " + version);
        }
    }

    /** @return no expectation */
    public static AliasExpect any() {
        return new AliasExpect(Kind.ANY, 0);
    }

    /** @return the alias must not exist */
    public static AliasExpect absent() {
        return new AliasExpect(Kind.ABSENT, 0);
    }

    /**
     * @param version the expected target
     * @return the alias must point at it
     */
    public static AliasExpect current(long version) {
        return new AliasExpect(Kind.CURRENT, version);
    }

    /**
     * @param actual what the alias points at now, empty when unset
     * @return whether the expectation holds
     */
    public boolean matches(OptionalLong actual) {
        switch (kind) {
            case ANY:
                return true;
            case ABSENT:
                return actual.isEmpty();
            case CURRENT:
                return actual.isPresent() && actual.getAsLong() == version;
            default:
                throw new AssertionError(kind);
        }
    }

    @Override
    public String toString() {
        return kind == Kind.CURRENT ? "v" + version : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
