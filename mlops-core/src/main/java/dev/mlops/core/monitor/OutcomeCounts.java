package dev.mlops.core.monitor;

/**
 * Counters of a {@link PendingOutcomes} store: what became of the predictions offered to it and of
 * the outcomes taken from it. An immutable value; {@link #plus(OutcomeCounts)} adds the counts of
 * stores that saw disjoint traffic (replicas, or consecutive periods).
 *
 * <p><b>Predictions.</b> Each offered prediction is in exactly one of four states:
 * {@code offered = pending + joined + expired + evicted}, where {@link #pending()} is derived. A
 * pending prediction may already be past its time to live; it counts as expired once an outcome,
 * a newer prediction or {@link PendingOutcomes#expire(long)} notices.
 *
 * <p><b>Outcomes.</b> Each outcome gets one {@link OutcomeStatus}:
 * {@code outcomes = joined + late + duplicate + unknown}. A late outcome settles an expired
 * prediction, so {@code late <= expired}.
 *
 * <pre>{@code
 * OutcomeCounts c = pending.counts();
 * double labelled = (double) c.joined() / c.offered();
 * OutcomeCounts fleet = c.plus(otherReplica.counts());
 * }</pre>
 *
 * @param offered predictions offered
 * @param joined predictions joined to their outcome within the time to live
 * @param late outcomes that arrived after their prediction's time to live
 * @param duplicate outcomes for a prediction that an earlier outcome had settled
 * @param unknown outcomes for no pending prediction
 * @param expired predictions whose time to live passed before an outcome joined them
 * @param evicted predictions dropped while live, to make room for newer ones
 */
public record OutcomeCounts(
        long offered, long joined, long late, long duplicate, long unknown, long expired, long evicted) {

    /** No predictions, no outcomes. */
    public static final OutcomeCounts EMPTY = new OutcomeCounts(0, 0, 0, 0, 0, 0, 0);

    /**
     * Validates the counts.
     *
     * @param offered predictions offered
     * @param joined predictions joined within the TTL
     * @param late outcomes after the TTL
     * @param duplicate repeated outcomes
     * @param unknown outcomes for no pending prediction
     * @param expired predictions past the TTL unjoined
     * @param evicted predictions dropped for room
     * @throws IllegalArgumentException when a count is negative, when
     *     {@code joined + expired + evicted > offered}, or when {@code late > expired}
     */
    public OutcomeCounts {
        check("offered", offered);
        check("joined", joined);
        check("late", late);
        check("duplicate", duplicate);
        check("unknown", unknown);
        check("expired", expired);
        check("evicted", evicted);
        long settled = joined + expired + evicted;
        if (settled < 0 || settled > offered) {
            throw new IllegalArgumentException("joined + expired + evicted must be <= offered, was "
                    + joined + " + " + expired + " + " + evicted + " > " + offered);
        }
        if (late > expired) {
            throw new IllegalArgumentException(
                    "late must be <= expired (a late outcome settles an expired prediction), was " + late + " > "
                            + expired);
        }
    }

    /** @return predictions offered and not yet joined, expired or evicted */
    public long pending() {
        return offered - joined - expired - evicted;
    }

    /** @return outcomes taken: {@code joined + late + duplicate + unknown} */
    public long outcomes() {
        return joined + late + duplicate + unknown;
    }

    /**
     * @param other counts of a store that saw other traffic
     * @return the sums, field by field
     * @throws ArithmeticException if a sum overflows a long
     */
    public OutcomeCounts plus(OutcomeCounts other) {
        return new OutcomeCounts(
                Math.addExact(offered, other.offered),
                Math.addExact(joined, other.joined),
                Math.addExact(late, other.late),
                Math.addExact(duplicate, other.duplicate),
                Math.addExact(unknown, other.unknown),
                Math.addExact(expired, other.expired),
                Math.addExact(evicted, other.evicted));
    }

    private static void check(String name, long count) {
        if (count < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + count);
        }
    }
}
