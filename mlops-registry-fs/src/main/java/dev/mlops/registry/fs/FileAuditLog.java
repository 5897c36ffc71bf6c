package dev.mlops.registry.fs;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import dev.mlops.core.StoreException;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditQuery;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.Checkpoint;
import dev.mlops.core.audit.InMemoryAuditLog;
import dev.mlops.core.internal.AuditIndex;
import dev.mlops.core.internal.AuditLogSettings;
import dev.mlops.core.internal.TreeLevels;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AuditLog} in a directory: append-only segment files, each record framed with its length and
 * a CRC32C, acknowledged only once on disk, and read back against the log's Merkle tree.
 *
 * <pre>{@code
 * try (FileAuditLog log = FileAuditLog.builder(Path.of("audit"))
 *         .signer(keys.getPrivate(), "example.com/fraud-team/audit")
 *         .build()) {
 *     AuditRecord r = log.append(AuditEvent.of("alice", "model.delete", "fraud-scorer:3"));
 *     Checkpoint c = log.checkpoint();          // publish it elsewhere
 *     AuditVerification v = log.verify();       // re-reads every record from disk
 * }
 * }</pre>
 *
 * <h2>Layout, version 1</h2>
 * <pre>
 * lock                          locked (FileChannel.lock) by the one process that has the log open; never written
 * 00000000000000000000.audit    a segment: the records from index 0 on
 * 00000000000000004711.audit    the next segment: the records from index 4711 on, and so on
 * 00000000000000004711.audit.tmp  a segment being created: forced, then published by a hard link
 * </pre>
 * A segment is a 24-byte header, then frames, one per record, back to back:
 * <pre>
 * header  bytes 0-7    magic, ASCII "mlopsaud"
 *         bytes 8-11   layout version, big-endian int32: 1
 *         bytes 12-19  the index of the segment's first record, big-endian int64 (the name repeats it)
 *         bytes 20-23  CRC32C (Castagnoli, java.util.zip.CRC32C) of bytes 0-19, big-endian
 * frame   4 bytes      payload length L, big-endian, 18 to 2097152
 *         4 bytes      CRC32C of the 4 length bytes followed by the payload, big-endian
 *         L bytes      the record's canonical bytes ({@link AuditRecord}, format "mlops.audit.v2")
 * </pre>
 * Records are numbered densely across segments: a segment starts at the index where the one before it
 * ends. The writer starts a new segment when the next frame would take the current one past
 * {@link Builder#segmentBytes(long)} (64 MiB by default). All integers are big-endian.
 *
 * <h2>Durability</h2>
 * {@link #append} returns only after its frame is forced to disk: with {@code fsync(2)}, through
 * {@link java.io.FileDescriptor#sync()}, the call {@code FileChannel.force(true)} makes, because a
 * {@code FileChannel} is closed for every thread when one thread is interrupted in it. Appenders share
 * forces (group commit): each writes its frame under the log's lock, then one of them forces for every
 * frame written before the force began, while the others wait for it; a log under load forces once for
 * many records. A new segment is written and forced under a temporary name, published with a hard link,
 * and its directory forced, after the segment before it has been forced.
 *
 * <p>If a write or a force fails, the log enters a failed state: that append and every later one throws
 * {@link StoreException}, because after a failed {@code fsync} the kernel may have dropped the dirty pages
 * and a retried {@code fsync} can report success for writes it lost. Reads, proofs and {@link #verify()}
 * go on serving the records acknowledged before. Close the log and open it again: opening reads back what
 * actually reached the disk.
 *
 * <h2>Opening</h2>
 * Opening reads every segment: it checks each header, each frame's checksum, that each record decodes,
 * that indexes are dense and times never decrease, and rebuilds the in-memory index (the Merkle tree's
 * levels, times, posting lists for {@link #query}) from the records. An append a crash interrupted can
 * leave a torn frame at the very end of the last segment: when no intact frame starts anywhere after the
 * first bad one (incomplete, length out of range, or failing its checksum), opening cuts the last segment
 * there and says so in {@link #tailRepair()} and a warning. Damage anywhere else (a bad frame with intact
 * frames after it, a bad frame in any other segment, a bad header, a missing segment) refuses to open with
 * an {@link InvalidFormatException} (offset: the byte offset) or an {@link IntegrityException}, naming the
 * file and the byte offset. A changed byte in the last record cannot be told apart from a torn append;
 * a {@link Checkpoint} kept elsewhere shows such a loss, as {@code size()} falls below its size. After a
 * power loss (not a process crash, which keeps every completed write), a file system may keep a later
 * page of a batch that was never acknowledged and lose an earlier one: opening then refuses, naming the
 * offset, although no acknowledged record is lost; cutting the segment at that offset by hand recovers.
 *
 * <h2>Concurrency and memory</h2>
 * Thread-safe: a read-write lock guards the in-memory index; appends write under its write lock and force
 * outside it, reads take its read lock to find their records and read the files outside it. Readers see
 * only acknowledged records: {@link #size()} counts the records forced so far. One process at a time may
 * open a directory, and one instance per JVM: a second opener gets a {@link StoreException}. The index
 * takes about 110 bytes of heap per record (the tree's 64, times, posting lists, frame positions), plus
 * the distinct actors, actions and targets; at most {@link AuditIndex#MAX_RECORDS} records. The library
 * starts no threads.
 */
public final class FileAuditLog implements AuditLog {
    /** The origin of a log built without one. */
    public static final String DEFAULT_ORIGIN = InMemoryAuditLog.DEFAULT_ORIGIN;
    /** The segment size a log starts a new segment at, unless built with another. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(FileAuditLog.class);
    private static final String LOCK_FILE = "lock";
    /** Most bytes one positional read of several frames takes at once. */
    private static final int READ_SPAN_BYTES = 8 * 1024 * 1024;
    /**
     * The directories of the logs open in this JVM. A second {@code FileChannel.lock()} on the lock file
     * in the same JVM fails with {@code OverlappingFileLockException}, and closing that second channel may
     * drop the first one's lock (POSIX releases a process's locks on any close of the file), so a second
     * opener in this JVM must be refused before it touches the lock file. Static for that reason alone.
     */
    private static final Set<Path> OPEN = new HashSet<>();

    private final Path dir;
    private final InstantSource clock;
    private final String origin;
    private final Optional<PrivateKey> signer;
    private final long segmentBytes;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final Optional<TailRepair> tailRepair;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Every written record, durable or not. Guarded by {@link #lock}. */
    private final AuditIndex index = new AuditIndex();
    /** Each segment by the index of its first record. Guarded by {@link #lock}. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    /** The end offset of each written record's frame in its segment. Guarded by {@link #lock}. */
    private long[] ends = new long[1024];
    /** The last segment, open for appending; the write lock guards writes and swaps. */
    private RandomAccessFile active;
    private long activeLength;
    private Instant lastAt;
    private volatile boolean closed;

    /** Guards {@link #durable}, {@link #forcing} and {@link #failure}; taken after {@link #lock}, never before. */
    private final Object sync = new Object();
    /** What the next force covers: the file last written and how many records had been written to it. */
    private volatile Tail tail;
    /** How many records are forced to disk: the size readers see. */
    private volatile long durable;
    private boolean forcing;
    private volatile Failure failure;
    /** How many forces succeeded; for tests of the group commit. */
    private long forces;

    private record Tail(RandomAccessFile file, Path path, long written) {
    }

    private record Failure(String what, IOException cause) {
    }

    /**
     * What opening the log cut off the end of its last segment: the bytes of an append that a crash
     * interrupted, or damage there, which nothing after it can tell apart from a torn append. The records
     * cut off were never acknowledged, unless the disk lost acknowledged bytes; a checkpoint taken earlier
     * shows which.
     *
     * @param segment the segment file
     * @param offset where the bytes kept end: the segment's length now
     * @param bytes how many bytes were cut off
     * @param reason what was wrong with the first frame cut off
     */
    public record TailRepair(Path segment, long offset, long bytes, String reason) {
        /** Validates the parts. */
        public TailRepair {
            Objects.requireNonNull(segment, "segment");
            Objects.requireNonNull(reason, "reason");
            if (offset < AuditSegment.HEADER_BYTES || bytes < 1) {
                throw new IllegalArgumentException("offset must be >= " + AuditSegment.HEADER_BYTES + " and bytes >= 1, were "
                        + offset + " and " + bytes);
            }
        }
    }

    private FileAuditLog(Builder b) {
        clock = b.settings.clock();
        origin = b.settings.origin();
        signer = b.settings.signer();
        segmentBytes = b.segmentBytes;
        Path requested = b.directory.toAbsolutePath().normalize();
        try {
            DurableFiles.createDirectories(requested);
            dir = requested.toRealPath();
        } catch (IOException e) {
            throw new StoreException("creating the audit log directory " + requested + " failed", e);
        }
        synchronized (OPEN) {
            if (!OPEN.add(dir)) {
                throw new StoreException("audit log " + dir + " is already open in this JVM: one writer at a time,"
                        + " so share that instance");
            }
        }
        FileChannel channel = null;
        FileLock held = null;
        Optional<TailRepair> repair;
        try {
            checkEntries();
            Path lockFile = dir.resolve(LOCK_FILE);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                throw new StoreException("audit log " + dir + " is open in another process, which holds the lock on "
                        + lockFile + ": one writer at a time");
            }
            repair = load();
        } catch (IOException e) {
            throw abandon(channel, held, new StoreException("opening the audit log " + dir + " failed", e));
        } catch (RuntimeException e) {
            throw abandon(channel, held, e);
        } catch (Error e) { // an OutOfMemoryError reading a large log must not leave the directory marked open
            throw abandon(channel, held, e);
        }
        lockChannel = channel;
        fileLock = held;
        tailRepair = repair;
    }

    /** Releases what a failed open took, adding any failure to do so to the open's own, which it returns. */
    private <T extends Throwable> T abandon(FileChannel channel, FileLock held, T failure) {
        for (AutoCloseable c : new AutoCloseable[] {active, held, channel}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
        }
        synchronized (OPEN) {
            OPEN.remove(dir);
        }
        return failure;
    }

    /**
     * Opens the log in {@code directory}, creating it when missing or empty; system clock, unsigned
     * checkpoints with origin {@value #DEFAULT_ORIGIN}, 64 MiB segments.
     *
     * @param directory the log's directory
     * @return the log; close it to release the directory
     * @throws StoreException when the directory cannot be used, holds other files, or is open elsewhere
     * @throws InvalidFormatException when a segment is malformed or of a newer layout version
     * @throws IntegrityException when a segment is damaged or missing
     */
    public static FileAuditLog open(Path directory) {
        return builder(directory).build();
    }

    /**
     * @param directory the log's directory
     * @return a builder for a log with other options
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** @return the log's directory, as a real path */
    public Path directory() {
        return dir;
    }

    /** @return what opening cut off the end of the last segment, if anything */
    public Optional<TailRepair> tailRepair() {
        return tailRepair;
    }

    // ---- opening -----------------------------------------------------------------------------------------

    private void checkEntries() throws IOException {
        List<String> foreign = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.equals(LOCK_FILE) && !AuditSegment.isSegment(name) && !AuditSegment.isTemporary(name)) {
                    foreign.add(name);
                }
            }
        }
        if (!foreign.isEmpty()) {
            foreign.sort(null);
            throw new StoreException(dir + " is not an audit log directory (which holds only '" + LOCK_FILE
                    + "' and segment files such as " + AuditSegment.name(0) + "): it holds "
                    + Names.quote(foreign.subList(0, Math.min(5, foreign.size())).toString()));
        }
    }

    /** Reads every segment into the index, cuts a torn tail, and opens the last segment for appending. */
    private Optional<TailRepair> load() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (AuditSegment.isTemporary(name)) {
                    Files.delete(p);
                } else if (AuditSegment.isSegment(name)) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        Optional<TailRepair> repair = Optional.empty();
        for (int k = 0; k < names.size(); k++) {
            Path file = dir.resolve(names.get(k));
            long first = AuditSegment.firstIndexOf(names.get(k));
            if (first != index.size()) {
                throw new IntegrityException("audit log " + dir + ": segment " + file + " starts at record " + first
                        + ", but the segments before it end before record " + index.size()
                        + (first > index.size() ? ": records are missing" : ": segments overlap"));
            }
            segments.put(first, file);
            repair = scan(file, first, k == names.size() - 1);
        }
        if (names.isEmpty()) {
            active = createSegment(0);
            segments.put(0L, dir.resolve(AuditSegment.name(0)));
            activeLength = AuditSegment.HEADER_BYTES;
        } else {
            active = new RandomAccessFile(segments.lastEntry().getValue().toFile(), "rw");
            activeLength = active.length();
            active.seek(activeLength);
        }
        durable = index.size();
        tail = new Tail(active, segments.lastEntry().getValue(), durable);
        return repair;
    }

    /** Reads one segment's records into the index; in the last segment, cuts a torn tail. */
    private Optional<TailRepair> scan(Path file, long first, boolean last) throws IOException {
        long cut;
        String reason;
        long size;
        try (AuditSegment.Window w = new AuditSegment.Window(file)) {
            size = w.size();
            String headerProblem = AuditSegment.headerProblem(w.read(0, (int) Math.min(size, AuditSegment.HEADER_BYTES)), first);
            if (headerProblem != null) {
                throw AuditSegment.damaged(file, 0, headerProblem);
            }
            long p = AuditSegment.HEADER_BYTES;
            while (true) {
                if (p == size) {
                    return Optional.empty();
                }
                AuditSegment.Frame f = AuditSegment.readFrame(w, p);
                if (!f.intact()) {
                    long next = AuditSegment.nextIntactFrame(w, p + 1);
                    if (last && next < 0) {
                        cut = p;
                        reason = f.problem();
                        break;
                    }
                    String why = f.problem() + (next >= 0 ? ", and an intact frame follows at byte " + next
                            : ", in a segment that is not the last") + ": the log is damaged, not torn by a crash";
                    throw f.crcFailed() ? AuditSegment.corrupt(file, p, why) : AuditSegment.damaged(file, p, why);
                }
                AuditRecord r = AuditSegment.decode(file, p, f.payload());
                if (r.index() != index.size()) {
                    throw AuditSegment.corrupt(file, p, "the record says index " + r.index() + ", expected " + index.size());
                }
                if (lastAt != null && r.at().isBefore(lastAt)) {
                    throw AuditSegment.corrupt(file, p, "record " + r.index() + "'s time " + r.at()
                            + " is before the previous record's " + lastAt);
                }
                index.checkRoom();
                addWritten(r, TreeLevels.leafHash(f.payload()), f.end());
                p = f.end();
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(cut);
            raf.getFD().sync();
        }
        TailRepair repair = new TailRepair(file, cut, size - cut, reason);
        LOG.warn("audit log {}: cut {} bytes off the end of {} at byte {}, a torn append ({}); records kept: {}",
                dir, repair.bytes(), file, cut, reason, index.size());
        return Optional.of(repair);
    }

    /** Creates, forces and publishes the segment whose first record is {@code first}, open for appending. */
    private RandomAccessFile createSegment(long first) throws IOException {
        Path target = dir.resolve(AuditSegment.name(first));
        Path temp = dir.resolve(AuditSegment.name(first) + ".tmp");
        Files.createFile(temp);
        RandomAccessFile raf = new RandomAccessFile(temp.toFile(), "rw");
        boolean done = false;
        try {
            raf.write(AuditSegment.header(first));
            raf.getFD().sync();
            if (!DurableFiles.publish(temp, target)) {
                throw new FileAlreadyExistsException(target.toString(), null, "a segment of that name exists already");
            }
            done = true;
            return raf;
        } finally {
            if (!done) {
                try {
                    raf.close();
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
        }
    }

    /** Adds a written record to the index. Call under the write lock (or while opening). */
    private void addWritten(AuditRecord r, byte[] leafHash, long end) {
        int i = (int) index.size();
        if (i == ends.length) {
            ends = Arrays.copyOf(ends, (int) Math.min(AuditIndex.MAX_RECORDS, 2L * i));
        }
        index.add(r, leafHash);
        ends[i] = end;
        lastAt = r.at();
    }

    // ---- appending ---------------------------------------------------------------------------------------

    @Override
    public AuditRecord append(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        AuditRecord r;
        lock.writeLock().lock();
        try {
            checkOpen();
            Failure failed = failure;
            if (failed != null) {
                throw new StoreException("audit log " + dir + " refuses appends since " + failed.what() + " failed ("
                        + failed.cause() + "): a retried fsync can report success for writes it lost; close the log"
                        + " and open it again to go on from what is on disk", failed.cause());
            }
            index.checkRoom();
            Instant now = Objects.requireNonNull(clock.instant(), "the clock returned null");
            if (lastAt != null && now.isBefore(lastAt)) {
                now = lastAt;
            }
            r = new AuditRecord(index.size(), now, event);
            byte[] payload = r.canonicalBytes();
            if (payload.length > AuditSegment.MAX_PAYLOAD) {
                throw new IllegalArgumentException("event is " + payload.length + " bytes in canonical form, more than the "
                        + AuditSegment.MAX_PAYLOAD + " a segment frame holds");
            }
            byte[] frame = AuditSegment.frame(payload);
            if (activeLength > AuditSegment.HEADER_BYTES && activeLength + frame.length > segmentBytes) {
                long first = r.index();
                Path next = dir.resolve(AuditSegment.name(first));
                replaceActive("starting segment " + next, next, () -> createSegment(first));
                segments.put(first, next);
                activeLength = AuditSegment.HEADER_BYTES;
            }
            try {
                active.write(frame);
            } catch (IOException e) {
                throw fail("writing record " + r.index() + " to " + tail.path(), e);
            }
            activeLength += frame.length;
            addWritten(r, TreeLevels.leafHash(payload), activeLength);
            tail = new Tail(active, tail.path(), index.size());
        } finally {
            lock.writeLock().unlock();
        }
        awaitDurable(r.index() + 1);
        return r;
    }

    /** Opens a file for appending in place of the last segment. */
    private interface Opener {
        RandomAccessFile open() throws IOException;
    }

    /**
     * Forces the last segment, then puts the file {@code opener} opens in its place, or none when it returns
     * null (on closing): under the write lock, as the only forcer, so that no group commit forces a file
     * while it is being closed.
     */
    private void replaceActive(String what, Path path, Opener opener) {
        synchronized (sync) {
            boolean interrupted = false;
            while (forcing && failure == null) {
                try {
                    sync.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw new StoreException("audit log " + dir + " failed before " + what, failure.cause());
            }
            forcing = true;
        }
        long written = index.size();
        boolean synced = false;
        try {
            try {
                active.getFD().sync();
                synced = true;
                RandomAccessFile next = opener.open();
                RandomAccessFile previous = active;
                active = next;
                tail = new Tail(next, path, written);
                previous.close();
            } catch (IOException e) {
                throw fail(what, e);
            }
        } finally {
            synchronized (sync) {
                forcing = false;
                if (synced) {
                    durable = Math.max(durable, written);
                }
                sync.notifyAll();
            }
        }
    }

    /** Returns once the first {@code count} records are forced to disk, forcing them itself if no one is. */
    private void awaitDurable(long count) {
        boolean interrupted = false;
        try {
            while (true) {
                Tail t;
                synchronized (sync) {
                    while (durable < count && failure == null && forcing) {
                        try {
                            sync.wait();
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (durable >= count) {
                        return;
                    }
                    if (failure != null) {
                        throw new StoreException("record " + (count - 1) + " was written to " + dir + " but not forced"
                                + " to disk, since " + failure.what() + " failed (" + failure.cause() + "): it is not"
                                + " acknowledged, and may or may not be in the log when it is opened again; the log"
                                + " refuses every later append", failure.cause());
                    }
                    forcing = true;
                    t = tail;
                }
                force(t);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The group commit's leader: forces what {@code t} covers, then wakes the waiting appenders. */
    private void force(Tail t) {
        IOException error = null;
        try {
            t.file().getFD().sync();
        } catch (IOException e) {
            error = e;
        }
        synchronized (sync) {
            forcing = false;
            if (error == null) {
                durable = Math.max(durable, t.written());
                forces++;
            } else {
                recordFailure("forcing " + t.path() + " to disk", error);
            }
            sync.notifyAll();
        }
    }

    private void recordFailure(String what, IOException e) {
        synchronized (sync) {
            if (failure == null) {
                failure = new Failure(what, e);
                LOG.error("audit log {}: {} failed; the log refuses every later append until it is opened again", dir, what, e);
            }
            sync.notifyAll();
        }
    }

    private StoreException fail(String what, IOException e) {
        recordFailure(what, e);
        return new StoreException("audit log " + dir + ": " + what + " failed; the log refuses every later append,"
                + " since a retried fsync can report success for writes it lost: close it and open it again", e);
    }

    // ---- reading -----------------------------------------------------------------------------------------

    @Override
    public long size() {
        lock.readLock().lock();
        try {
            checkOpen();
            return durable;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<AuditRecord> read(long fromIndex, int max) {
        if (fromIndex < 0) {
            throw new IllegalArgumentException("fromIndex must be >= 0, was " + fromIndex);
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        List<Span> spans = new ArrayList<>();
        lock.readLock().lock();
        try {
            checkOpen();
            long n = durable;
            long to = Math.min(n, fromIndex + max);
            for (long i = fromIndex; i < to; ) {
                Span s = span(i, to);
                spans.add(s);
                i += s.ends().length;
            }
        } finally {
            lock.readLock().unlock();
        }
        return load(spans);
    }

    @Override
    public List<AuditRecord> query(AuditQuery q) {
        Objects.requireNonNull(q, "query");
        List<Span> spans = new ArrayList<>();
        lock.readLock().lock();
        try {
            checkOpen();
            for (long i : index.query(q, durable)) {
                spans.add(span(i, i + 1));
            }
        } finally {
            lock.readLock().unlock();
        }
        return load(spans);
    }

    /**
     * Records {@code first} to {@code ends.length - 1} of one segment: their frames lie back to back from
     * {@code start}, each ending at its entry of {@code ends}.
     */
    private record Span(Path file, long first, long start, long[] ends) {
    }

    /** The records from {@code from} that share its segment, below {@code to}, within one read's bytes. Under the lock. */
    private Span span(long from, long to) {
        Map.Entry<Long, Path> segment = segments.floorEntry(from);
        Long after = segments.higherKey(from);
        long end = Math.min(to, after == null ? to : after);
        long start = from == segment.getKey() ? AuditSegment.HEADER_BYTES : ends[(int) from - 1];
        long last = from;
        while (last + 1 < end && ends[(int) last + 1] - start <= READ_SPAN_BYTES) {
            last++;
        }
        return new Span(segment.getValue(), from, start, Arrays.copyOfRange(ends, (int) from, (int) last + 1));
    }

    /** Reads the spans' records from disk, then checks each against the tree. */
    private List<AuditRecord> load(List<Span> spans) {
        List<AuditRecord> out = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        FileChannel channel = null;
        Path open = null;
        try {
            try {
                for (Span s : spans) {
                    if (!s.file().equals(open)) {
                        if (channel != null) {
                            channel.close();
                        }
                        channel = FileChannel.open(s.file(), StandardOpenOption.READ);
                        open = s.file();
                    }
                    readSpan(channel, s, out, leaves);
                }
            } finally {
                if (channel != null) {
                    channel.close();
                }
            }
        } catch (IOException e) {
            throw new StoreException("reading audit log " + dir + " failed (" + open + ")", e);
        }
        lock.readLock().lock();
        try {
            checkOpen();
            for (int k = 0; k < out.size(); k++) {
                AuditRecord r = out.get(k);
                if (!index.leafHashEquals(r.index(), leaves.get(k))) {
                    throw new IntegrityException("audit log " + dir + ": record " + r.index() + " no longer matches the"
                            + " log's Merkle tree: its bytes on disk changed after they were written; verify() names the"
                            + " first record affected");
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    private void readSpan(FileChannel channel, Span s, List<AuditRecord> out, List<byte[]> leaves) throws IOException {
        long end = s.ends()[s.ends().length - 1];
        ByteBuffer bytes = ByteBuffer.allocate((int) (end - s.start()));
        while (bytes.hasRemaining()) {
            if (channel.read(bytes, s.start() + bytes.position()) < 0) {
                throw new IntegrityException("audit log segment " + s.file() + " ends at byte " + (s.start() + bytes.position())
                        + ", before the end of record " + (s.first() + s.ends().length - 1) + " at byte " + end);
            }
        }
        long offset = s.start();
        for (int k = 0; k < s.ends().length; k++) {
            long i = s.first() + k;
            byte[] frame = Arrays.copyOfRange(bytes.array(), (int) (offset - s.start()), (int) (s.ends()[k] - s.start()));
            String problem = AuditSegment.checkFrame(frame);
            if (problem != null) {
                throw AuditSegment.corrupt(s.file(), offset, "record " + i + " no longer reads back: " + problem);
            }
            byte[] payload = Arrays.copyOfRange(frame, AuditSegment.FRAME_HEADER_BYTES, frame.length);
            AuditRecord r = AuditSegment.decode(s.file(), offset, payload);
            if (r.index() != i) {
                throw AuditSegment.corrupt(s.file(), offset, "record " + i + " reads back as record " + r.index());
            }
            out.add(r);
            leaves.add(TreeLevels.leafHash(payload));
            offset = s.ends()[k];
        }
    }

    @Override
    public Sha256 root(long size) {
        lock.readLock().lock();
        try {
            checkOpen();
            checkSize("size", size);
            return index.root(size);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Sha256> inclusionProof(long index, long size) {
        lock.readLock().lock();
        try {
            checkOpen();
            checkSize("size", size);
            return this.index.inclusionProof(index, size);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Sha256> consistencyProof(long oldSize, long newSize) {
        lock.readLock().lock();
        try {
            checkOpen();
            checkSize("newSize", newSize);
            return index.consistencyProof(oldSize, newSize);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Sizes beyond the acknowledged records are refused, though the tree may hold records being forced. */
    private void checkSize(String what, long size) {
        if (size < 0 || size > durable) {
            throw new IllegalArgumentException(what + " must be in [0, " + durable + "], was " + size);
        }
    }

    @Override
    public Checkpoint checkpoint() {
        long size;
        Sha256 root;
        lock.readLock().lock();
        try {
            checkOpen();
            size = durable;
            root = index.root(size);
        } finally {
            lock.readLock().unlock();
        }
        Instant at = Objects.requireNonNull(clock.instant(), "the clock returned null");
        return signer.map(k -> Checkpoint.signed(origin, size, root, at, k))
                .orElseGet(() -> Checkpoint.unsigned(origin, size, root, at));
    }

    // ---- verifying ---------------------------------------------------------------------------------------

    /**
     * Re-reads every acknowledged record from disk, segment by segment: each segment's header, each
     * frame's length and checksum, each record's decoding, index and time, its leaf hash against the tree,
     * and the tree's stored nodes above it ({@link AuditIndex.Verifier}); and that a segment other than the
     * last ends where its last record does. Appends go on meanwhile; the records checked are those
     * acknowledged when it began.
     */
    @Override
    public AuditVerification verify() {
        long n;
        List<Map.Entry<Long, Path>> files;
        AuditIndex.Verifier v;
        lock.readLock().lock();
        try {
            checkOpen();
            n = durable;
            files = new ArrayList<>(segments.headMap(n, true).entrySet());
            v = index.verifier();
        } finally {
            lock.readLock().unlock();
        }
        for (int k = 0; k < files.size(); k++) {
            long first = files.get(k).getKey();
            long next = k + 1 < files.size() ? files.get(k + 1).getKey() : n;
            verifySegment(v, files.get(k).getValue(), first, next, k + 1 < files.size());
        }
        lock.readLock().lock();
        try {
            checkOpen();
            return v.result();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A verdict on one record read back, given to the verifier under the lock. */
    private record Checked(AuditRecord record, byte[] leafHash, String problem) {
    }

    private void verifySegment(AuditIndex.Verifier v, Path file, long first, long next, boolean closedSegment) {
        long[] segmentEnds;
        lock.readLock().lock();
        try {
            segmentEnds = Arrays.copyOfRange(ends, (int) first, (int) next);
        } finally {
            lock.readLock().unlock();
        }
        List<Checked> batch = new ArrayList<>();
        int checked = 0;
        try (AuditSegment.Window w = new AuditSegment.Window(file)) {
            String header = AuditSegment.headerProblem(w.read(0, (int) Math.min(w.size(), AuditSegment.HEADER_BYTES)), first);
            if (header != null) {
                feed(v, List.of(), first, "segment " + file + ": at byte 0: " + header);
            }
            long offset = AuditSegment.HEADER_BYTES;
            for (; checked < segmentEnds.length; checked++) {
                batch.add(check(w, file, offset, segmentEnds[checked]));
                offset = segmentEnds[checked];
                if (batch.size() == 4096) {
                    feed(v, batch, -1, null);
                    batch.clear();
                }
            }
            if (closedSegment && w.size() != offset) {
                feed(v, List.of(), next, "segment " + file + " is " + w.size() + " bytes long, but its last record, "
                        + (next - 1) + ", ends at byte " + offset);
            }
        } catch (IOException e) {
            for (int k = checked; k < segmentEnds.length; k++) {
                batch.add(new Checked(null, null, "reading " + file + " failed: " + e));
            }
        }
        feed(v, batch, -1, null);
    }

    private static Checked check(AuditSegment.Window w, Path file, long start, long end) throws IOException {
        String at = "at byte " + start + " of " + file + ": ";
        if (end > w.size()) {
            return new Checked(null, null, at + "the file ends at byte " + w.size() + ", before the record's frame ends at "
                    + end);
        }
        AuditSegment.Frame f = AuditSegment.readFrame(w, start);
        if (!f.intact()) {
            return new Checked(null, null, at + f.problem());
        }
        if (f.end() != end) {
            return new Checked(null, null, at + "the frame ends at byte " + f.end() + ", it was written to end at " + end);
        }
        try {
            return new Checked(AuditRecord.fromCanonicalBytes(f.payload()), TreeLevels.leafHash(f.payload()), null);
        } catch (InvalidFormatException e) {
            return new Checked(null, null, at + "the record does not decode: " + e.getMessage());
        }
    }

    private void feed(AuditIndex.Verifier v, List<Checked> batch, long problemIndex, String problem) {
        lock.readLock().lock();
        try {
            checkOpen();
            if (problem != null) {
                v.problem(problemIndex, problem);
            }
            for (Checked c : batch) {
                if (c.problem() != null) {
                    v.unreadable(c.problem());
                } else {
                    v.next(c.record(), c.leafHash());
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- closing -----------------------------------------------------------------------------------------

    /**
     * Forces what was written, so that appenders still waiting get their answer, then releases the files
     * and the directory's lock. Idempotent.
     *
     * @throws StoreException when the last force or releasing a file fails; the log is closed either way
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            IOException error = null;
            if (failure == null) {
                try {
                    replaceActive("closing " + tail.path(), tail.path(), () -> null);
                } catch (StoreException e) {
                    error = e.getCause() instanceof IOException io ? io : new IOException(e);
                }
            }
            for (AutoCloseable c : new AutoCloseable[] {active, fileLock, lockChannel}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception e) {
                    if (error == null) {
                        error = e instanceof IOException io ? io : new IOException(e);
                    } else {
                        error.addSuppressed(e);
                    }
                }
            }
            synchronized (OPEN) {
                OPEN.remove(dir);
            }
            if (error != null) {
                throw new StoreException("closing the audit log " + dir + " failed", error);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("audit log " + dir + " is closed");
        }
    }

    @Override
    public String toString() {
        return "FileAuditLog[" + dir + ", origin=" + origin + ", signed=" + signer.isPresent() + "]";
    }

    /**
     * Points the writes and forces of later appends at {@code file} in place of the last segment: the seam
     * by which a test makes a real write (on {@code /dev/full}) or a real {@code fsync} (on {@code /dev/null})
     * fail, to check what the log does then.
     */
    void redirectWritesForTest(Path file) {
        lock.writeLock().lock();
        try {
            replaceActive("redirecting writes to " + file, file, () -> new RandomAccessFile(file.toFile(), "rw"));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** @return how many group-commit forces succeeded */
    long forcesForTest() {
        synchronized (sync) {
            return forces;
        }
    }

    /** @return the segment file and byte offset of record {@code i}'s frame, for tests that damage it */
    Map.Entry<Path, Long> frameForTest(long i) {
        lock.readLock().lock();
        try {
            Span s = span(i, i + 1);
            return Map.entry(s.file(), s.start());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Builds a {@link FileAuditLog}; each setting may be given once. Not thread-safe. */
    public static final class Builder {
        private final Path directory;
        private final AuditLogSettings settings = new AuditLogSettings(DEFAULT_ORIGIN);
        private long segmentBytes = DEFAULT_SEGMENT_BYTES;
        private boolean segmentBytesSet;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * @param clock the only source of record and checkpoint times (default: the system clock)
         * @return this
         */
        public Builder clock(InstantSource clock) {
            settings.clock(clock);
            return this;
        }

        /**
         * @param origin the log's name in its checkpoints (see {@link Checkpoint}; default {@value #DEFAULT_ORIGIN})
         * @return this
         */
        public Builder origin(String origin) {
            settings.origin(origin);
            return this;
        }

        /**
         * Signs every checkpoint with {@code key}.
         *
         * @param key an Ed25519 private key
         * @param origin the log's name in its checkpoints
         * @return this
         * @throws IllegalArgumentException when the key cannot sign Ed25519
         */
        public Builder signer(PrivateKey key, String origin) {
            settings.signer(key, origin);
            return this;
        }

        /**
         * @param bytes the size at which the writer starts a new segment: the next frame would take the
         *        current one past it; 1024 to 2^30 (default 64 MiB). A log's segments may have been written
         *        with other sizes: this only steers the writer.
         * @return this
         */
        public Builder segmentBytes(long bytes) {
            if (segmentBytesSet) {
                throw new IllegalStateException("segment size is already set to " + segmentBytes);
            }
            if (bytes < 1024 || bytes > (1L << 30)) {
                throw new IllegalArgumentException("segment size must be 1024 to 2^30 bytes, was " + bytes);
            }
            segmentBytes = bytes;
            segmentBytesSet = true;
            return this;
        }

        /**
         * Opens the log, creating the directory and its first segment when missing or empty.
         *
         * @return the log
         * @throws StoreException when the directory cannot be used, holds other files, or is open elsewhere
         * @throws InvalidFormatException when a segment is malformed or of a newer layout version
         * @throws IntegrityException when a segment is damaged or missing
         */
        public FileAuditLog build() {
            return new FileAuditLog(this);
        }
    }
}
