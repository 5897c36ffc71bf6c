package dev.mlops.registry.fs;

import dev.mlops.core.Sha256;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link FileAuditLog#salvage(Path, Path)} copied and what it left behind.
 *
 * <pre>{@code
 * AuditSalvageReport r = FileAuditLog.salvage(Path.of("audit"), Path.of("audit-salvaged"));
 * r.dropped().forEach(d -> log.warn("dropped {}", d));
 * if (checkpoint.size() > r.kept()) alarm("acknowledged records were lost: " + r.summary());
 * }</pre>
 *
 * @param from the damaged log's directory, left as it was
 * @param into the new directory, holding records 0 to {@code kept - 1}
 * @param kept how many records were copied: the longest prefix whose every frame, record, index and
 *     time order checks out
 * @param root the Merkle root of the records kept, read back from {@code into}
 * @param dropped what was left behind, in file order: first the bytes from the first bad spot to the end
 *     of its file, then every later segment whole; empty when the whole log was copied
 */
public record AuditSalvageReport(Path from, Path into, long kept, Sha256 root, List<Dropped> dropped) {
    /**
     * Validates the parts and copies the list.
     *
     * @param from the damaged log's directory, left as it was
     * @param into the new directory, holding records 0 to {@code kept - 1}
     * @param kept how many records were copied: the longest prefix whose every frame, record, index and time order
     *     checks out
     * @param root the Merkle root of the records kept, read back from {@code into}
     * @param dropped what was left behind, in file order: first the bytes from the first bad spot to the end of its
     *     file, then every later segment whole; empty when the whole log was copied
     */
    public AuditSalvageReport {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(into, "into");
        Objects.requireNonNull(root, "root");
        if (kept < 0) {
            throw new IllegalArgumentException("kept must be >= 0, was " + kept);
        }
        dropped = List.copyOf(dropped);
    }

    /**
     * Bytes of one segment that were not copied.
     *
     * @param file the segment in the damaged log
     * @param offset where the bytes left behind start in it (0: the whole file)
     * @param bytes how many bytes from there, to the end of the file
     * @param firstIndex the index the first record left behind here has, or would have had: the first
     *     record not kept, or the first index the segment's name gives
     * @param intactFrames how many frames among those bytes still pass their checksum: records that are
     *     likely sound, dropped because something before them is not, so that the log stays a prefix
     * @param reason why: what is wrong at {@code offset}, or which damage before it this follows
     */
    public record Dropped(Path file, long offset, long bytes, long firstIndex, long intactFrames, String reason) {
        /**
         * Validates the parts.
         *
         * @param file the segment in the damaged log
         * @param offset where the bytes left behind start in it (0: the whole file)
         * @param bytes how many bytes from there, to the end of the file
         * @param firstIndex the index the first record left behind here has, or would have had: the first record not
         *     kept, or the first index the segment's name gives
         * @param intactFrames how many frames among those bytes still pass their checksum: records that are likely
         *     sound, dropped because something before them is not, so that the log stays a prefix
         * @param reason why: what is wrong at {@code offset}, or which damage before it this follows
         */
        public Dropped {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(reason, "reason");
            if (offset < 0 || bytes < 0 || firstIndex < 0 || intactFrames < 0) {
                throw new IllegalArgumentException("offset, bytes, firstIndex and intactFrames must be >= 0, were " + offset
                        + ", " + bytes + ", " + firstIndex + " and " + intactFrames);
            }
        }

        @Override
        public String toString() {
            return file + " from byte " + offset + " (" + bytes + " bytes, from record " + firstIndex + ", " + intactFrames
                    + " intact frames): " + reason;
        }
    }

    /** @return whether every record was copied: nothing was dropped */
    public boolean complete() {
        return dropped.isEmpty();
    }

    /** @return one line: how many records were kept, and what was dropped from where */
    public String summary() {
        if (dropped.isEmpty()) {
            return "copied all " + kept + " records of " + from + " to " + into;
        }
        Dropped first = dropped.get(0);
        return "copied records 0 to " + (kept - 1) + " of " + from + " to " + into + "; dropped from record "
                + first.firstIndex() + " at byte " + first.offset() + " of " + first.file() + " (" + first.reason() + ")"
                + (dropped.size() > 1 ? " and " + (dropped.size() - 1) + " later segment(s)" : "");
    }
}
