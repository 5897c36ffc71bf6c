package dev.mlops.core.registry;

import dev.mlops.core.Sha256;
import java.util.List;

/**
 * What a store's {@code gc} ({@code FileSystemModelStore.gc}, {@code PostgresModelStore.gc}) deleted, or,
 * in a dry run, would delete.
 *
 * @param dryRun whether nothing was deleted
 * @param versions the live versions deleted (each leaves a tombstone), or to delete, by model and number
 * @param objects the artifacts deleted, or to delete, by digest: no live version uses them
 * @param bytes the bytes those artifacts hold
 */
public record GcReport(boolean dryRun, List<ModelRef.ByVersion> versions, List<Sha256> objects, long bytes) {
    /**
     * Copies the lists.
     *
     * @param dryRun whether nothing was deleted
     * @param versions the live versions deleted (each leaves a tombstone), or to delete, by model and number
     * @param objects the artifacts deleted, or to delete, by digest: no live version uses them
     * @param bytes the bytes those artifacts hold
     */
    public GcReport {
        versions = List.copyOf(versions);
        objects = List.copyOf(objects);
    }

    /** @return one line: what was (or would be) deleted */
    public String summary() {
        return (dryRun ? "would delete " : "deleted ") + versions.size() + " versions and " + objects.size()
                + " artifacts (" + bytes + " bytes)";
    }
}
