package dev.mlops.registry.fs;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.StoreException;
import dev.mlops.core.audit.AuditRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The operator's repair of {@link FileAuditLog}: copies the longest prefix of a damaged log that checks
 * out into a new directory, byte for byte, and reports the rest. Reads the damaged log only.
 */
final class AuditSalvage {
    /** One segment's bytes to copy: {@code [0, bytes)} of {@code file}. */
    private record Keep(Path file, String name, long bytes) {
    }

    private final Path from;
    private final List<Keep> keep = new ArrayList<>();
    private final List<AuditSalvageReport.Dropped> dropped = new ArrayList<>();
    /** The next index a record must have; after the scan, how many records are kept. */
    private long next;
    private Instant lastAt;
    /** Where the damage was found, for the later segments' reason; null while none was. */
    private String damage;

    private AuditSalvage(Path from) {
        this.from = from;
    }

    static AuditSalvageReport run(Path from, Path into) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(into, "into");
        Path source;
        try {
            source = from.toRealPath();
        } catch (IOException e) {
            throw new StoreException("reading the audit log " + from + " to salvage it failed", e);
        }
        Path target = into.toAbsolutePath().normalize();
        if (target.startsWith(source)) {
            throw new IllegalArgumentException("into must be outside the damaged log's directory " + source + ", was " + into);
        }
        AuditSalvage s = new AuditSalvage(source);
        try {
            s.scan();
        } catch (IOException e) {
            throw new StoreException("reading the audit log " + source + " to salvage it failed", e);
        }
        try {
            s.copy(target);
        } catch (IOException e) {
            throw new StoreException("writing the salvaged audit log to " + target + " failed", e);
        }
        try (FileAuditLog copy = FileAuditLog.openReadOnly(target)) {
            if (copy.size() != s.next || copy.tailRepair().isPresent()) {
                throw new StoreException("the salvaged audit log " + target + " reads back " + copy.size() + " records, "
                        + s.next + " were copied" + copy.tailRepair().map(t -> ", and a torn tail: " + t).orElse(""));
            }
            return new AuditSalvageReport(source, copy.directory(), copy.size(), copy.root(copy.size()), s.dropped);
        }
    }

    private void scan() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
            for (Path p : entries) {
                if (AuditSegment.isSegment(p.getFileName().toString())) {
                    names.add(p.getFileName().toString());
                }
            }
        }
        names.sort(null);
        for (String name : names) {
            Path file = from.resolve(name);
            long first = AuditSegment.firstIndexOf(name);
            if (damage != null) {
                dropWhole(file, first, "after " + damage + ": dropped so that the log stays a prefix");
            } else if (first != next) {
                String why = "the segment starts at record " + first + ", but the segments before it end before record " + next
                        + (first > next ? ": records " + next + " to " + (first - 1) + " are missing" : ": segments overlap");
                damage = "the damage at byte 0 of " + file;
                dropWhole(file, first, why);
            } else {
                scanSegment(file, name, first);
            }
        }
    }

    private void scanSegment(Path file, String name, long first) throws IOException {
        try (AuditSegment.Window w = new AuditSegment.Window(file)) {
            long size = w.size();
            String header = AuditSegment.headerProblem(w.read(0, (int) Math.min(size, AuditSegment.HEADER_BYTES)), first);
            if (header != null) {
                damage = "the damage at byte 0 of " + file;
                dropped.add(new AuditSalvageReport.Dropped(file, 0, size, first, intactFrames(w, AuditSegment.HEADER_BYTES),
                        "at byte 0: " + header));
                return;
            }
            long p = AuditSegment.HEADER_BYTES;
            while (p < size) {
                String problem = problemAt(w, file, p);
                if (problem != null) {
                    damage = "the damage at byte " + p + " of " + file;
                    dropped.add(new AuditSalvageReport.Dropped(file, p, size - p, next, intactFrames(w, p),
                            "at byte " + p + ": " + problem));
                    break;
                }
                p = AuditSegment.readFrame(w, p).end();
            }
            keep.add(new Keep(file, name, p));
        }
    }

    /** @return null when the frame at {@code p} holds the next record, in time order; else what is wrong */
    private String problemAt(AuditSegment.Window w, Path file, long p) throws IOException {
        AuditSegment.Frame f = AuditSegment.readFrame(w, p);
        if (!f.intact()) {
            return f.problem();
        }
        AuditRecord r;
        try {
            r = AuditRecord.fromCanonicalBytes(f.payload());
        } catch (InvalidFormatException e) {
            return "the record in the frame does not decode (" + e.getMessage() + ")";
        }
        if (r.index() != next) {
            return "the record says index " + r.index() + ", expected " + next;
        }
        if (lastAt != null && r.at().isBefore(lastAt)) {
            return "record " + r.index() + "'s time " + r.at() + " is before the previous record's " + lastAt;
        }
        next++;
        lastAt = r.at();
        return null;
    }

    private void dropWhole(Path file, long first, String why) throws IOException {
        try (AuditSegment.Window w = new AuditSegment.Window(file)) {
            long intact = w.size() > AuditSegment.HEADER_BYTES ? intactFrames(w, AuditSegment.HEADER_BYTES) : 0;
            dropped.add(new AuditSalvageReport.Dropped(file, 0, w.size(), first, intact, why));
        }
    }

    /** @return how many frames from {@code from} on pass their checksum, skipping damage between them */
    private static long intactFrames(AuditSegment.Window w, long from) throws IOException {
        long count = 0;
        long q = from;
        while (true) {
            q = AuditSegment.nextIntactFrame(w, q);
            if (q < 0) {
                return count;
            }
            count++;
            q = AuditSegment.readFrame(w, q).end();
        }
    }

    /** Writes each kept segment's prefix to {@code into}: forced under a temporary name, then published. */
    private void copy(Path into) throws IOException {
        if (Files.exists(into)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(into)) {
                if (entries.iterator().hasNext()) {
                    throw new FileAlreadyExistsException(into.toString(), null,
                            "the salvaged log goes into a new or empty directory, and this one holds files");
                }
            }
        }
        DurableFiles.createDirectories(into);
        for (Keep k : keep) {
            Path temp = into.resolve(k.name() + ".tmp");
            try (FileChannel in = FileChannel.open(k.file(), StandardOpenOption.READ);
                    FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long done = 0;
                while (done < k.bytes()) {
                    long n = in.transferTo(done, k.bytes() - done, out);
                    if (n <= 0) {
                        throw new IOException(k.file() + " ended at byte " + done + ", before the " + k.bytes()
                                + " bytes that were checked");
                    }
                    done += n;
                }
                out.force(true);
            }
            if (!DurableFiles.publish(temp, into.resolve(k.name()))) {
                throw new FileAlreadyExistsException(into.resolve(k.name()).toString(), null, "appeared while salvaging");
            }
        }
    }
}
