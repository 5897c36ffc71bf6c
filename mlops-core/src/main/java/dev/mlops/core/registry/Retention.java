package dev.mlops.core.registry;

/**
 * Which live versions a store's {@code gc} keeps ({@code FileSystemModelStore.gc},
 * {@code PostgresModelStore.gc}). Whatever the policy, it keeps every version an alias points at or would
 * return to by rollback, and every version another live version names as a lineage parent, in any model.
 *
 * <pre>{@code
 * GcReport plan = store.gc(Retention.keepLast(20), true);   // dry run: what would go
 * plan.versions().forEach(System.out::println);
 * store.gc(Retention.keepLast(20), false);                  // and now for real
 * }</pre>
 *
 * @param keepLast how many of each model's newest live versions to keep; {@link Integer#MAX_VALUE} keeps all
 */
public record Retention(int keepLast) {
    /**
     * Checks the count.
     *
     * @param keepLast how many of each model's newest live versions to keep; {@link Integer#MAX_VALUE} keeps all
     */
    public Retention {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1, was " + keepLast);
        }
    }

    /**
     * @param n how many of each model's newest live versions to keep, at least 1
     * @return the policy
     */
    public static Retention keepLast(int n) {
        return new Retention(n);
    }

    /** @return the policy that deletes no version: gc then only removes artifacts no live version uses */
    public static Retention keepAll() {
        return new Retention(Integer.MAX_VALUE);
    }
}
