package dev.mlops.registry.fs;

import dev.mlops.core.Sha256;
import dev.mlops.core.registry.ModelRef;
import java.util.List;

/**
 * What {@link FileSystemModelStore#gc} deleted, or, in a dry run, would delete.
 *
 * @param dryRun whether nothing was deleted
 * @param versions the live versions deleted (each leaves a tombstone), or to delete, by model and number
 * @param objects the artifact files deleted, or to delete: no live version uses them
 * @param bytes the bytes those artifact files hold
 */
public record GcReport(boolean dryRun, List<ModelRef.ByVersion> versions, List<Sha256> objects, long bytes) {
    /**
     * Copies the lists.
     *
     * @param dryRun whether nothing was deleted
     * @param versions the live versions deleted (each leaves a tombstone), or to delete, by model and number
     * @param objects the artifact files deleted, or to delete: no live version uses them
     * @param bytes the bytes those artifact files hold
     */
    public GcReport {
        versions = List.copyOf(versions);
        objects = List.copyOf(objects);
    }

    /** @return one line: what was (or would be) deleted */
    public String summary() {
        return (dryRun ? "would delete " : "deleted ") + versions.size() + " versions and " + objects.size()
                + " artifact files (" + bytes + " bytes)";
    }
}
