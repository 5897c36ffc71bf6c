package dev.mlops.registry.fs;

import java.util.List;
import java.util.Objects;

/**
 * What {@link FileSystemModelStore#fsck()} found and did.
 *
 * <pre>{@code
 * FsckReport report = store.fsck();
 * report.findings().forEach(f -> log.warn("{} {}: {}", f.kind(), f.path(), f.detail()));
 * if (!report.clean()) alarm(report.summary());
 * }</pre>
 *
 * @param findings every problem found, in the order checked (models by name, then artifacts); a
 *     repaired one says so
 * @param models how many model directories were checked
 * @param versions how many live versions were found
 * @param objects how many artifact files were read and hashed
 * @param objectBytes how many bytes those held
 * @param journalEntries how many journal entries were read
 * @param sweptTempFiles the temporary files deleted from {@code tmp/}, as paths relative to the store
 */
public record FsckReport(List<Finding> findings, long models, long versions, long objects, long objectBytes,
        long journalEntries, List<String> sweptTempFiles) {

    /**
     * Copies the lists.
     *
     * @param findings every problem found, in the order checked (models by name, then artifacts); a repaired one says
     *     so
     * @param models how many model directories were checked
     * @param versions how many live versions were found
     * @param objects how many artifact files were read and hashed
     * @param objectBytes how many bytes those held
     * @param journalEntries how many journal entries were read
     * @param sweptTempFiles the temporary files deleted from {@code tmp/}, as paths relative to the store
     */
    public FsckReport {
        findings = List.copyOf(findings);
        sweptTempFiles = List.copyOf(sweptTempFiles);
    }

    /** What is wrong. */
    public enum Kind {
        /** A change file that cannot be read, fails its seal, or does not follow from the changes before it. */
        DAMAGED_CHANGE,
        /** A change file after a missing or damaged one: the model's log ends before it, so it is never read. */
        UNREACHABLE_CHANGE,
        /** A file in a store directory whose name is none the layout gives; reported, never deleted. */
        STRAY_FILE,
        /** An artifact whose bytes do not hash to its name; moved to {@code quarantine/}. */
        CORRUPT_OBJECT,
        /** An encrypted artifact fsck could not check: the store was opened without a key provider. */
        UNVERIFIED_OBJECT,
        /** A live version's artifact file is missing (or was quarantined). */
        MISSING_OBJECT,
        /**
         * A model's snapshot that cannot be read, fails its seal, or differs from the replay of the change
         * files it follows; deleted (repaired), since the change files hold everything it did.
         */
        DAMAGED_SNAPSHOT,
        /** A journal entry that cannot be read or fails its seal. */
        DAMAGED_EVENT,
        /**
         * A committed change with no journal entry: its writer stopped between the two. Repaired by
         * appending the entry, so {@code events()} lists it from then on.
         */
        MISSING_EVENT
    }

    /**
     * @param kind what is wrong
     * @param path the file, relative to the store's directory, with forward slashes
     * @param detail one line: what was expected and what was found
     * @param repaired whether fsck repaired it (quarantined the artifact, appended the event)
     */
    public record Finding(Kind kind, String path, String detail, boolean repaired) {
        /**
         * Checks the fields.
         *
         * @param kind what is wrong
         * @param path the file, relative to the store's directory, with forward slashes
         * @param detail one line: what was expected and what was found
         * @param repaired whether fsck repaired it (quarantined the artifact, appended the event)
         */
        public Finding {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** @return whether nothing was found wrong (swept temporary files are housekeeping, not findings) */
    public boolean clean() {
        return findings.isEmpty();
    }

    /**
     * @param kind a kind of finding
     * @return the findings of that kind, in order
     */
    public List<Finding> findings(Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }

    /** @return one line: what was checked, and how many findings, repaired and not */
    public String summary() {
        long repaired = findings.stream().filter(Finding::repaired).count();
        return "checked " + models + " models, " + versions + " live versions, " + objects + " artifact files ("
                + objectBytes + " bytes), " + journalEntries + " journal entries: " + findings.size() + " findings ("
                + repaired + " repaired), " + sweptTempFiles.size() + " temporary files swept";
    }
}
