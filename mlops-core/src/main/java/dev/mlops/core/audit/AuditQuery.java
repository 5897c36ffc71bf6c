package dev.mlops.core.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which records {@link AuditLog#query(AuditQuery)} returns: those at or after {@link #fromIndex()} that
 * match every criterion given, in index order, at most {@link #limit()} of them. Every criterion is an
 * exact match or a time range, so that a log can answer from indexes without reading every record:
 * one posting list per actor, action, target and outcome, and, because a log's record times never
 * decrease, a binary search for the time range. Page on with {@code fromIndex(last.index() + 1)}.
 *
 * <pre>{@code
 * List<AuditRecord> denied = log.query(AuditQuery.builder()
 *         .actor("bob").outcome(AuditEvent.Outcome.DENIED)
 *         .from(Instant.parse("2026-11-01T00:00:00Z")).limit(100).build());
 * }</pre>
 *
 * @param actor only this actor's records, when present
 * @param action only this action, when present
 * @param target only this target, when present
 * @param outcome only this outcome, when present
 * @param from only records at or after this time, when present
 * @param until only records strictly before this time, when present
 * @param fromIndex the first index to consider, {@code >= 0}
 * @param limit at most this many records, 1 to {@value #MAX_LIMIT}
 */
public record AuditQuery(Optional<String> actor, Optional<String> action, Optional<String> target,
        Optional<AuditEvent.Outcome> outcome, Optional<Instant> from, Optional<Instant> until, long fromIndex, int limit) {
    /** Most records one query returns. */
    public static final int MAX_LIMIT = 10_000;

    /**
     * Validates the parts.
     *
     * @param actor only this actor's records, when present
     * @param action only this action, when present
     * @param target only this target, when present
     * @param outcome only this outcome, when present
     * @param from only records at or after this time, when present
     * @param until only records strictly before this time, when present
     * @param fromIndex the first index to consider, {@code >= 0}
     * @param limit at most this many records, 1 to {@value #MAX_LIMIT}
     */
    public AuditQuery {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (from.isPresent() && until.isPresent() && until.get().isBefore(from.get())) {
            throw new IllegalArgumentException("until (" + until.get() + ") must not be before from (" + from.get() + ")");
        }
        if (fromIndex < 0) {
            throw new IllegalArgumentException("fromIndex must be >= 0, was " + fromIndex);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** @return a builder with no criteria, from index 0, limit 100 */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param index the new first index
     * @return this query from that index on: the next page after a record at {@code index - 1}
     */
    public AuditQuery fromIndex(long index) {
        return new AuditQuery(actor, action, target, outcome, from, until, index, limit);
    }

    /**
     * @param r a record
     * @return whether {@code r} meets every criterion, its index included
     */
    public boolean matches(AuditRecord r) {
        AuditEvent e = r.event();
        return r.index() >= fromIndex
                && actor.map(e.actor()::equals).orElse(true)
                && action.map(e.action()::equals).orElse(true)
                && target.map(e.target()::equals).orElse(true)
                && outcome.map(o -> o == e.outcome()).orElse(true)
                && from.map(t -> !r.at().isBefore(t)).orElse(true)
                && until.map(t -> r.at().isBefore(t)).orElse(true);
    }

    /** Builds an {@link AuditQuery}; each criterion may be set once. Not thread-safe. */
    public static final class Builder {
        private String actor;
        private String action;
        private String target;
        private AuditEvent.Outcome outcome;
        private Instant from;
        private Instant until;
        private Long fromIndex;
        private Integer limit;

        private Builder() {
        }

        private static <T> T once(String what, T current, T value) {
            Objects.requireNonNull(value, what);
            if (current != null) {
                throw new IllegalStateException(what + " is already set");
            }
            return value;
        }

        /**
         * @param v the actor
         * @return this
         */
        public Builder actor(String v) {
            actor = once("actor", actor, v);
            return this;
        }

        /**
         * @param v the action
         * @return this
         */
        public Builder action(String v) {
            action = once("action", action, v);
            return this;
        }

        /**
         * @param v the target
         * @return this
         */
        public Builder target(String v) {
            target = once("target", target, v);
            return this;
        }

        /**
         * @param v the outcome
         * @return this
         */
        public Builder outcome(AuditEvent.Outcome v) {
            outcome = once("outcome", outcome, v);
            return this;
        }

        /**
         * @param v the earliest time, inclusive
         * @return this
         */
        public Builder from(Instant v) {
            from = once("from", from, v);
            return this;
        }

        /**
         * @param v the latest time, exclusive
         * @return this
         */
        public Builder until(Instant v) {
            until = once("until", until, v);
            return this;
        }

        /**
         * @param v the first index to consider
         * @return this
         */
        public Builder fromIndex(long v) {
            fromIndex = once("fromIndex", fromIndex, v);
            return this;
        }

        /**
         * @param v the most records to return
         * @return this
         */
        public Builder limit(int v) {
            limit = once("limit", limit, v);
            return this;
        }

        /** @return the query */
        public AuditQuery build() {
            return new AuditQuery(Optional.ofNullable(actor), Optional.ofNullable(action), Optional.ofNullable(target),
                    Optional.ofNullable(outcome), Optional.ofNullable(from), Optional.ofNullable(until),
                    fromIndex == null ? 0 : fromIndex, limit == null ? 100 : limit);
        }
    }
}
