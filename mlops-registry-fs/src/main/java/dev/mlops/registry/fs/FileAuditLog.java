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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
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
 * forces (group commit): an appender encodes its record outside any lock, then, under a short lock, gets
 * the next index and the time (the clock is read then, so times never decrease along the indexes), and
 * queues the record. One appender at a time leads: it waits for the force before to end, then, for at most
 * half a force's time, yields to the appenders on their way to the queue (those just answered and going
 * round for their next append), takes every queued record, writes their frames with one write, adds them
 * to the index, hands the lead to the first appender queued after it, forces once, publishes the new size
 * and wakes exactly the appenders whose records that force covered. So the next batch queues during the
 * force, one force is in flight at a time, and under load a batch holds about every appender. A waiting
 * appender first yields the processor for up to two forces' time (at most 1 ms), and parks only after
 * that, and a leader unparks only the appenders that parked (RocksDB's write thread waits the same way,
 * with a shorter window): an answer that finds its appender still yielding costs no wake-up, and waking
 * a batch of parked appenders one by one takes, on a busy 2-core machine, about as long as the force. A new segment is written and forced
 * under a temporary name, published with a hard link,
 * and its directory forced, after the segment before it has been forced; a batch that crosses into a new
 * segment is written in one write per segment.
 *
 * <p>If a write or a force fails, the log enters a failed state: every append of that batch whose record
 * was not forced before the failure, every append queued behind it, and every later one throws
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
 * offset, although no acknowledged record is lost; {@link #salvage(Path, Path)} copies the records before
 * that offset into a new directory and reports what it left behind, without touching the damaged log.
 *
 * <h2>Read-only</h2>
 * {@link #openReadOnly(Path)} (or {@link Builder#readOnly()}) opens a log to check or serve it without
 * writing: a copy, a log on read-only files, or a log its writer has open in this process or another. It
 * opens every file for reading only, takes no lock, deletes no temporary segment, and cuts nothing: a
 * torn tail is reported by {@link #tailRepair()}, left on disk, and the records before it are served.
 * Damage anywhere else refuses to open, as for a writer. It answers {@link #size()}, {@link #read},
 * {@link #query}, roots, proofs, {@link #checkpoint()} and {@link #verify()}; {@link #append} throws
 * {@link UnsupportedOperationException}. It sees a writer's later records when asked to:
 * {@link #refresh()} reads from the end of the last intact frame it read, so the answers between two
 * refreshes agree with each other (a size, then a root and proofs at that size). On a live log it reads
 * what the writer has written, which may include a batch written but not yet forced: a power loss before
 * that force can take those records away, and the next refresh then fails, naming the file.
 *
 * <h2>Concurrency and memory</h2>
 * Thread-safe: appenders meet under a short lock that numbers their records and queues them; the leader
 * writes and forces outside every lock, and takes the write lock of a read-write lock guarding the
 * in-memory index only to add a batch to it. Reads take its read lock to find their records and read the
 * files outside it. Waiting appenders yield, then park and are unparked one by one, and ignore interrupts
 * until they return (with the interrupt kept); the leader's writes and forces cannot be interrupted. Readers see only
 * acknowledged records: {@link #size()} counts the records forced so far. One process at a time may open
 * a directory to write, and one writing instance per JVM: a second writer gets a {@link StoreException}
 * (read-only instances are not counted). The queue holds at
 * most one record per waiting appender, and the leader's write buffer grows to 1 MiB (or one frame, if
 * larger). The index takes about 110 bytes of heap per record (the tree's 64, times, posting lists, frame
 * positions), plus the distinct actors, actions and targets; at most {@link AuditIndex#MAX_RECORDS}
 * records. The library starts no threads: the appenders themselves write and force. A read-only log is
 * thread-safe the same way: one {@link #refresh()} at a time adds records under the write lock.
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
     * How long at most a waiting appender yields the processor before it parks: two forces' time, up to
     * this.
     */
    private static final long MAX_YIELD_NANOS = 1_000_000;
    /** The most bytes of frames the leader gathers for one write, unless one frame is larger. */
    private static final int WRITE_BUFFER_BYTES = 1024 * 1024;
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
    /** Whether this instance only reads: no lock, no writes, {@link #refresh()} picks up a writer's records. */
    private final boolean readOnly;
    /** The lock file's channel and its lock; null when read-only. */
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    /**
     * What opening cut (a writer), or the torn or unfinished tail the latest open or refresh left unread
     * (read-only).
     */
    private volatile Optional<TailRepair> tailRepair = Optional.empty();

    /** Guards the in-memory index and the segment map; the leader adds to them under its write lock. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Every written record, durable or not. Guarded by {@link #lock}. */
    private final AuditIndex index = new AuditIndex();
    /** Each segment by the index of its first record. Guarded by {@link #lock}. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    /** The end offset of each written record's frame in its segment. Guarded by {@link #lock}. */
    private long[] ends = new long[1024];
    /** How many records are forced to disk: the size readers see. Written under {@link #queueLock}. */
    private volatile long durable;
    private volatile boolean closed;
    private volatile Failure failure;

    /**
     * Guards {@link #queue}, {@link #leading}, {@link #next}, {@link #lastAt}, {@link #forcing}, and setting
     * {@link #durable}, {@link #failure} and {@link #closed}. Never held during I/O, but in a read-only log,
     * where it is held by one {@link #refresh()} at a time; taken before {@link #lock}, never after.
     */
    private final ReentrantLock queueLock = new ReentrantLock();
    /**
     * Signalled when a leader steps down, a force ends or the log fails: a leader waiting to force, closing
     * and the test seam wait on it.
     */
    private final Condition changed = queueLock.newCondition();
    /** The appends numbered but not yet taken by a leader, in index order; one per waiting appender. */
    private ArrayList<Pending> queue = new ArrayList<>();
    /** Whether an appender is leading: writing and forcing a batch, or woken to lead the next one. */
    private boolean leading;
    /** The index the next append gets. */
    private long next;
    private Instant lastAt;

    /**
     * The writer's state, touched by the leader only: one thread at a time, each taking over under
     * {@link #queueLock} from the one before.
     */
    private RandomAccessFile active;
    private Path activePath;
    private long activeLength;
    /**
     * Whether a leader holds the right to force, from before it takes its batch until it publishes it: one
     * force at a time, so that a failed {@code fsync} reports to the one force that must fail, and the next
     * batch gathers meanwhile. Guarded by {@link #queueLock}.
     */
    private boolean forcing;
    /** How many appenders are in {@link #append}: the leader gathers those not yet queued. */
    private final AtomicInteger appending = new AtomicInteger();
    /** How many appends leaders have taken from the queue and not answered yet. */
    private final AtomicInteger unanswered = new AtomicInteger();
    /** How long the last batch's force took. */
    private volatile long lastForceNanos;
    /** The leader's write buffer: a batch's frames, back to back, for one write. */
    private byte[] buffer = new byte[16 * 1024];
    /** How many batch forces succeeded; for tests of the group commit. Written by the leader only. */
    private volatile long forces;

    /** One append waiting for its record to be written and forced; completed by a leader. */
    private static final class Pending {
        static final int WAITING = 0;
        static final int DURABLE = 1;
        static final int FAILED = 2;
        static final int LEAD = 3;

        final AuditRecord record;
        final byte[] payload;
        final Thread thread;
        /** Set before {@link #state} becomes {@link #FAILED}. */
        StoreException error;
        volatile int state;
        /** Whether the appender has given up yielding and parks: only then must a state change unpark it. */
        volatile boolean parks;

        Pending(AuditRecord record, byte[] payload, Thread thread) {
            this.record = record;
            this.payload = payload;
            this.thread = thread;
        }
    }

    private record Failure(String what, IOException cause) {
    }

    /**
     * What opening the log cut off the end of its last segment: the bytes of an append that a crash
     * interrupted, or damage there, which nothing after it can tell apart from a torn append. The records
     * cut off were never acknowledged, unless the disk lost acknowledged bytes; a checkpoint taken earlier
     * shows which. A read-only log reports the same without cutting it, and serves the records before it.
     *
     * @param segment the segment file
     * @param offset where the bytes kept (read-only: served) end; a writer's segment is that long now
     * @param bytes how many bytes were cut off (read-only: left unread)
     * @param reason what was wrong with the first frame cut off (read-only: left unread)
     */
    public record TailRepair(Path segment, long offset, long bytes, String reason) {
        /**
         * Validates the parts.
         *
         * @param segment the segment file
         * @param offset where the bytes kept (read-only: served) end; a writer's segment is that long now
         * @param bytes how many bytes were cut off (read-only: left unread)
         * @param reason what was wrong with the first frame cut off (read-only: left unread)
         */
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
        readOnly = b.readOnly;
        Path requested = b.directory.toAbsolutePath().normalize();
        if (readOnly) {
            lockChannel = null;
            fileLock = null;
            try {
                dir = requested.toRealPath();
                if (!Files.isDirectory(dir)) {
                    throw new StoreException(dir + " is not a directory: a read-only audit log opens an existing log's"
                            + " directory");
                }
                checkEntries();
            } catch (IOException e) {
                throw new StoreException("opening the audit log " + requested + " read-only failed", e);
            }
            refresh();
            return;
        }
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
     * Opens the log in {@code directory} to read it only, on the system clock, unsigned: a copy, or a log
     * that a writer, in this process or another, has open. It never writes, never truncates and takes no
     * lock, so it also opens a log on read-only files or media. See "Read-only" above.
     *
     * <pre>{@code
     * try (FileAuditLog copy = FileAuditLog.openReadOnly(Path.of("audit-copy"))) {
     *     AuditVerification v = copy.verify();
     *     copy.tailRepair().ifPresent(t -> warn("torn tail left unread: " + t));
     * }
     * }</pre>
     *
     * @param directory an audit log's directory
     * @return the log; close it to release nothing but the instance
     * @throws StoreException when the directory is missing, not a directory, or holds other files
     * @throws InvalidFormatException when a segment is malformed or of a newer layout version
     * @throws IntegrityException when a segment is damaged or missing
     */
    public static FileAuditLog openReadOnly(Path directory) {
        return builder(directory).readOnly().build();
    }

    /**
     * The operator's repair after damage that refuses to open (a power loss that kept a later page of a
     * batch and lost an earlier one, a bad sector, a lost segment): copies the longest prefix of the log in
     * {@code from} whose every header, frame checksum, record, index and time order checks out into
     * {@code into}, byte for byte, and reports what it left behind and why (file, byte offset, the first
     * index dropped, how many intact frames it dropped to keep the log a prefix). The log in {@code from}
     * is only read: nothing there is written, truncated, deleted or locked, so stop its writer first (or
     * salvage a copy). The copy's segments are forced, published by hard link and their directory forced;
     * the copy is then read back, and opens with {@link #open}. Compare {@link AuditSalvageReport#kept()}
     * with the size of the last checkpoint you kept: records at or beyond the point of damage that had been
     * acknowledged are lost, and a checkpoint at or below {@code kept} must match
     * {@code root(checkpoint.size())} of the copy.
     *
     * <pre>{@code
     * AuditSalvageReport r = FileAuditLog.salvage(Path.of("audit"), Path.of("audit-salvaged"));
     * System.out.println(r.summary());
     * }</pre>
     *
     * @param from the damaged log's directory
     * @param into a directory that does not exist or is empty, outside {@code from}
     * @return what was copied and what was dropped
     * @throws IllegalArgumentException when {@code into} lies inside {@code from}
     * @throws StoreException when reading {@code from} or writing {@code into} fails, or {@code into} holds files
     */
    public static AuditSalvageReport salvage(Path from, Path into) {
        return AuditSalvage.run(from, into);
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

    /** @return whether this instance was opened read-only ({@link #openReadOnly}, {@link Builder#readOnly()}) */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * A writer: what opening cut off the end of the last segment, if anything. Read-only: the bytes after
     * the last intact frame of the last segment, as the latest open or {@link #refresh()} found them, left
     * on disk and not served; on a copy, a torn append, and on a live log possibly a batch its writer is
     * writing at that moment.
     *
     * @return the tail cut off or left unread, if any
     */
    public Optional<TailRepair> tailRepair() {
        return tailRepair;
    }

    /**
     * Read-only: reads the records a writer appended since this log opened or last refreshed (the rest of
     * the last segment and any new segments), so that {@link #size()}, roots, proofs, reads and queries
     * cover them, and updates {@link #tailRepair()}. A read-only log changes only here, so a series of
     * calls between two refreshes sees one size. A writer sees its own records as they are acknowledged:
     * this returns {@link #size()}.
     *
     * @return the size after the refresh
     * @throws IllegalStateException when the log is closed
     * @throws IntegrityException when records it read are gone from the files, or a segment is damaged; the
     *         records read before the damage are kept and served
     * @throws InvalidFormatException when a new segment is malformed
     * @throws StoreException when reading fails
     */
    public long refresh() {
        if (!readOnly) {
            return size();
        }
        queueLock.lock();
        try {
            checkOpen();
            try {
                refreshSegments();
            } catch (IOException e) {
                throw new StoreException("reading the audit log " + dir + " (read-only) failed", e);
            } finally {
                durable = index.size();
            }
            return durable;
        } finally {
            queueLock.unlock();
        }
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
        List<String> names = segmentNames(true);
        Optional<TailRepair> repair = Optional.empty();
        for (int k = 0; k < names.size(); k++) {
            Path file = dir.resolve(names.get(k));
            long first = AuditSegment.firstIndexOf(names.get(k));
            checkFollows(file, first);
            Optional<TailRepair> torn = scan(file, first, AuditSegment.HEADER_BYTES, k == names.size() - 1);
            if (torn.isPresent()) {
                repair = Optional.of(cut(torn.get()));
            }
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
        next = durable;
        activePath = segments.lastEntry().getValue();
        return repair;
    }

    /**
     * @param deleteTemporary whether to delete segments a writer was creating when it stopped (a writer
     *        opening does; a reader never writes)
     * @return the names of the directory's segments, in index order
     */
    private List<String> segmentNames(boolean deleteTemporary) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (deleteTemporary && AuditSegment.isTemporary(name)) {
                    Files.delete(p);
                } else if (AuditSegment.isSegment(name)) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    /** Checks that the segment {@code file}, whose first record is {@code first}, starts where the index ends. */
    private void checkFollows(Path file, long first) {
        if (first != index.size()) {
            throw new IntegrityException("audit log " + dir + ": segment " + file + " starts at record " + first
                    + ", but the segments before it end before record " + index.size()
                    + (first > index.size() ? ": records are missing" : ": segments overlap"));
        }
    }

    /**
     * Reads one segment's records from byte {@code from} on into the index, after checking its header, and
     * adds the segment to the map.
     *
     * @param last whether it is the last segment: only there may a torn tail end the file
     * @return the torn tail that ends the last segment, if any, left as it is
     */
    private Optional<TailRepair> scan(Path file, long first, long from, boolean last) throws IOException {
        try (AuditSegment.Window w = new AuditSegment.Window(file)) {
            long size = w.size();
            String headerProblem = AuditSegment.headerProblem(w.read(0, (int) Math.min(size, AuditSegment.HEADER_BYTES)), first);
            if (headerProblem != null) {
                throw AuditSegment.damaged(file, 0, headerProblem);
            }
            if (size < from) {
                throw AuditSegment.corrupt(file, size, "the segment ends there, but this log read records from it up to"
                        + " byte " + from + ": records it served are gone from the file");
            }
            lock.writeLock().lock();
            try {
                segments.put(first, file);
            } finally {
                lock.writeLock().unlock();
            }
            long p = from;
            while (p < size) {
                AuditSegment.Frame f = AuditSegment.readFrame(w, p);
                if (!f.intact()) {
                    long next = AuditSegment.nextIntactFrame(w, p + 1);
                    if (last && next < 0) {
                        return Optional.of(new TailRepair(file, p, size - p, f.problem()));
                    }
                    String why = f.problem() + (next >= 0 ? ", and an intact frame follows at byte " + next
                            : ", in a segment that is not the last") + ": the log is damaged, not torn by a crash"
                            + " (FileAuditLog.salvage copies the records before it to a new directory)";
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
                lock.writeLock().lock();
                try {
                    addWritten(r, TreeLevels.leafHash(f.payload()), f.end());
                } finally {
                    lock.writeLock().unlock();
                }
                lastAt = r.at();
                p = f.end();
            }
            return Optional.empty();
        }
    }

    /** Cuts a torn tail off the last segment, as a writer opening does, and says so. */
    private TailRepair cut(TailRepair torn) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(torn.segment().toFile(), "rw")) {
            raf.setLength(torn.offset());
            raf.getFD().sync();
        }
        LOG.warn("audit log {}: cut {} bytes off the end of {} at byte {}, a torn append ({}); records kept: {}",
                dir, torn.bytes(), torn.segment(), torn.offset(), torn.reason(), index.size());
        return torn;
    }

    /**
     * Reads the records a writer added since this read-only log last looked: the rest of the last segment
     * it read, from the end of its last intact frame, and every segment after it.
     */
    private void refreshSegments() throws IOException {
        List<String> names = segmentNames(false);
        Map.Entry<Long, Path> known = segments.isEmpty() ? null : segments.lastEntry();
        int k = 0;
        long from = AuditSegment.HEADER_BYTES;
        if (known != null) {
            k = names.indexOf(known.getValue().getFileName().toString());
            if (k < 0) {
                throw new IntegrityException("audit log " + dir + ": segment " + known.getValue() + ", which this log read"
                        + " records from, is gone");
            }
            long n = index.size();
            from = n > known.getKey() ? ends[(int) n - 1] : AuditSegment.HEADER_BYTES;
        }
        Optional<TailRepair> torn = Optional.empty();
        for (; k < names.size(); k++) {
            Path file = dir.resolve(names.get(k));
            long first = AuditSegment.firstIndexOf(names.get(k));
            if (known == null || first != known.getKey()) {
                checkFollows(file, first);
                from = AuditSegment.HEADER_BYTES;
            }
            torn = scan(file, first, from, k == names.size() - 1);
        }
        tailRepair = torn;
        torn.ifPresent(t -> LOG.debug("audit log {} (read-only): {} bytes at byte {} of {} are not an intact frame ({});"
                + " left as they are, not served", dir, t.bytes(), t.offset(), t.segment(), t.reason()));
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
    }

    // ---- appending ---------------------------------------------------------------------------------------

    @Override
    public AuditRecord append(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        appending.incrementAndGet();
        try {
            return appendCounted(event);
        } finally {
            appending.decrementAndGet();
        }
    }

    private AuditRecord appendCounted(AuditEvent event) {
        if (readOnly) {
            checkOpen();
            throw new UnsupportedOperationException("audit log " + dir + " is open read-only (FileAuditLog.openReadOnly):"
                    + " it never writes; append through the log's one writer, FileAuditLog.open");
        }
        byte[] payload = AuditSegment.unstamped(event);
        if (payload.length > AuditSegment.MAX_PAYLOAD) {
            throw new IllegalArgumentException("event is " + payload.length + " bytes in canonical form, more than the "
                    + AuditSegment.MAX_PAYLOAD + " a segment frame holds");
        }
        Pending p;
        boolean lead;
        queueLock.lock();
        try {
            checkOpen();
            Failure failed = failure;
            if (failed != null) {
                throw new StoreException("audit log " + dir + " refuses appends since " + failed.what() + " failed ("
                        + failed.cause() + "): a retried fsync can report success for writes it lost; close the log"
                        + " and open it again to go on from what is on disk", failed.cause());
            }
            if (next >= AuditIndex.MAX_RECORDS) {
                throw new IllegalStateException("an audit log holds at most " + AuditIndex.MAX_RECORDS + " records");
            }
            Instant now = Objects.requireNonNull(clock.instant(), "the clock returned null");
            if (lastAt != null && now.isBefore(lastAt)) {
                now = lastAt;
            }
            AuditSegment.stamp(payload, next, now);
            p = new Pending(new AuditRecord(next, now, event), payload, Thread.currentThread());
            queue.add(p);
            next++;
            lastAt = now;
            lead = !leading;
            leading = true;
        } finally {
            queueLock.unlock();
        }
        if (lead) {
            lead();
        }
        return await(p);
    }

    /**
     * Waits, ignoring interrupts until it returns, for a leader to complete {@code p}, leading the next batch
     * itself when the leader before hands it on.
     */
    private AuditRecord await(Pending p) {
        boolean interrupted = false;
        long yieldUntil = System.nanoTime() + Math.min(MAX_YIELD_NANOS, 2 * lastForceNanos);
        try {
            while (true) {
                int state = p.state;
                if (state == Pending.DURABLE) {
                    return p.record;
                }
                if (state == Pending.FAILED) {
                    throw p.error;
                }
                if (state == Pending.LEAD) {
                    lead();
                } else if (System.nanoTime() - yieldUntil < 0) {
                    Thread.yield();
                } else {
                    p.parks = true;
                    if (p.state == Pending.WAITING) {
                        LockSupport.park(this);
                    }
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The group commit: waits for the force before to end, gathers the appenders on their way to the queue,
     * takes every queued append (the caller's own among them), writes their frames with one write per
     * segment, adds them to the index, hands the lead to the first append queued meanwhile (or steps down
     * when there is none), forces, publishes the batch, and completes its appends.
     */
    private void lead() {
        boolean force = takeForce();
        gather();
        List<Pending> batch;
        queueLock.lock();
        try {
            batch = queue;
            queue = new ArrayList<>();
            unanswered.addAndGet(batch.size());
        } finally {
            queueLock.unlock();
        }
        long first = batch.get(0).record.index();
        long end = first + batch.size();
        long written = first;
        Throwable unexpected = null;
        if (force) {
            try {
                writeBatch(batch);
                written = end;
            } catch (WriteFailure e) {
                written = e.written;
            } catch (RuntimeException | Error e) {
                unexpected = e;
                written = end; // how far it got is unknown: each record may or may not be on disk
                recordFailure("appending records " + first + " to " + (end - 1), new IOException(e.toString(), e));
            }
        }
        List<Pending> refused = handOff();
        if (force) {
            IOException error = null;
            if (failure == null) {
                long started = System.nanoTime();
                try {
                    active.getFD().sync();
                } catch (IOException e) {
                    error = e;
                }
                lastForceNanos = System.nanoTime() - started;
            }
            publish(batch.size(), end, "forcing " + activePath + " to disk", error);
        } else {
            unanswered.addAndGet(-batch.size());
        }
        for (Pending p : batch) {
            long i = p.record.index();
            complete(p, i < durable ? null : notAcknowledged(i, i < written));
        }
        for (Pending p : refused) {
            complete(p, notAcknowledged(p.record.index(), false));
        }
        if (unexpected instanceof Error e) {
            throw e;
        }
        if (unexpected instanceof RuntimeException e) {
            throw e;
        }
    }

    /**
     * Lets the appenders that are on their way to the queue (those just answered, going round for their
     * next append, and those encoding) join the batch, yielding the processor to them for at most half the
     * last force's time: a batch of all of them saves forces, and each force costs the processor too.
     */
    private void gather() {
        long deadline = System.nanoTime() + lastForceNanos / 2;
        while (true) {
            int queued;
            queueLock.lock();
            try {
                queued = queue.size();
            } finally {
                queueLock.unlock();
            }
            if (appending.get() - queued - unanswered.get() <= 0 || System.nanoTime() - deadline > 0) {
                return;
            }
            Thread.yield();
        }
    }

    /** @return once the force before has ended: true with the right to force, false when the log failed */
    private boolean takeForce() {
        queueLock.lock();
        try {
            while (forcing && failure == null) {
                changed.awaitUninterruptibly();
            }
            forcing = failure == null;
            return forcing;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Hands the lead to the first queued append, or steps down when none is queued or the log failed.
     *
     * @return the queued appends to refuse, because the log failed
     */
    private List<Pending> handOff() {
        Pending successor = null;
        List<Pending> refused = List.of();
        queueLock.lock();
        try {
            if (failure != null) {
                refused = queue;
                queue = new ArrayList<>();
            } else if (!queue.isEmpty()) {
                successor = queue.get(0);
            }
            if (successor == null) {
                leading = false;
                changed.signalAll();
            }
        } finally {
            queueLock.unlock();
        }
        if (successor != null) {
            successor.state = Pending.LEAD;
            if (successor.parks) {
                LockSupport.unpark(successor.thread);
            }
        }
        return refused;
    }

    /**
     * Ends the force of a batch of {@code size} records: publishes the records below {@code end}, unless the
     * log failed, and gives up the right to force. The batch's appenders count as on their way back before
     * the next leader, woken here, gathers.
     */
    private void publish(int size, long end, String what, IOException error) {
        queueLock.lock();
        try {
            if (error != null) {
                recordFailure(what, error);
            }
            if (failure == null) {
                durable = end;
                forces++;
            }
            unanswered.addAndGet(-size);
            forcing = false;
            changed.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    private static void complete(Pending p, StoreException error) {
        p.error = error;
        p.state = error == null ? Pending.DURABLE : Pending.FAILED;
        if (p.parks && p.thread != Thread.currentThread()) {
            LockSupport.unpark(p.thread);
        }
    }

    /** What an append whose record {@code i} the failure kept from disk throws. */
    private StoreException notAcknowledged(long i, boolean written) {
        Failure f = failure;
        if (written) {
            return new StoreException("record " + i + " was written to " + dir + " but not forced to disk, since " + f.what()
                    + " failed (" + f.cause() + "): it is not acknowledged, and may or may not be in the log when it is"
                    + " opened again; the log refuses every later append", f.cause());
        }
        return new StoreException("audit log " + dir + ": " + f.what() + " failed, so record " + i + " was not written;"
                + " the log refuses every later append, since a retried fsync can report success for writes it lost:"
                + " close it and open it again", f.cause());
    }

    /** A failed write, with how far the batch got: the records below {@code written} are on the file. */
    private static final class WriteFailure extends IOException {
        private static final long serialVersionUID = 1L;
        final transient long written;

        WriteFailure(long written, IOException cause) {
            super(cause);
            this.written = written;
        }
    }

    /**
     * Writes the batch's frames and adds the records to the index, starting new segments where they would
     * outgrow the last: then, once no force is in flight, it forces the last segment and publishes what it
     * holds before creating the next.
     *
     * @throws WriteFailure when a write, a force or a new segment fails; the log is then failed
     */
    private void writeBatch(List<Pending> batch) throws WriteFailure {
        int from = 0;
        while (from < batch.size()) {
            long start = batch.get(from).record.index();
            int firstFrame = AuditSegment.FRAME_HEADER_BYTES + batch.get(from).payload.length;
            if (activeLength > AuditSegment.HEADER_BYTES && activeLength + firstFrame > segmentBytes) {
                startSegment(start);
            }
            int to = from + 1;
            long length = activeLength + firstFrame;
            while (to < batch.size() && length + AuditSegment.FRAME_HEADER_BYTES + batch.get(to).payload.length <= segmentBytes) {
                length += AuditSegment.FRAME_HEADER_BYTES + batch.get(to).payload.length;
                to++;
            }
            write(batch, from, to, length - activeLength);
            from = to;
        }
    }

    /**
     * Forces the last segment, publishes the records up to {@code first}, and starts the segment from
     * there. The leader holds the right to force, so no other force is in flight.
     */
    private void startSegment(long first) throws WriteFailure {
        Path nextPath = dir.resolve(AuditSegment.name(first));
        try {
            active.getFD().sync();
        } catch (IOException e) {
            throw failWrite(first, "starting segment " + nextPath, e);
        }
        queueLock.lock();
        try {
            durable = first;
            changed.signalAll();
        } finally {
            queueLock.unlock();
        }
        RandomAccessFile created;
        try {
            created = createSegment(first);
        } catch (IOException e) {
            throw failWrite(first, "starting segment " + nextPath, e);
        }
        RandomAccessFile previous = active;
        Path previousPath = activePath;
        active = created;
        activePath = nextPath;
        activeLength = AuditSegment.HEADER_BYTES;
        lock.writeLock().lock();
        try {
            segments.put(first, nextPath);
        } finally {
            lock.writeLock().unlock();
        }
        try {
            previous.close();
        } catch (IOException e) {
            throw failWrite(first, "closing " + previousPath, e);
        }
    }

    /**
     * Writes the frames of {@code batch[from, to)}, {@code bytes} in all, to the last segment: in one write
     * when they fit in {@link #WRITE_BUFFER_BYTES}.
     */
    private void write(List<Pending> batch, int from, int to, long bytes) throws WriteFailure {
        if (bytes > buffer.length && buffer.length < WRITE_BUFFER_BYTES) {
            buffer = new byte[(int) Math.min(WRITE_BUFFER_BYTES, Math.max(bytes, 2L * buffer.length))];
        }
        long[] frameEnds = new long[to - from];
        byte[][] leafHashes = new byte[to - from][];
        int filled = 0;
        long end = activeLength;
        try {
            for (int k = from; k < to; k++) {
                byte[] payload = batch.get(k).payload;
                int frame = AuditSegment.FRAME_HEADER_BYTES + payload.length;
                if (frame > buffer.length - filled) {
                    if (filled > 0) {
                        active.write(buffer, 0, filled);
                        filled = 0;
                    }
                    if (frame > buffer.length) {
                        buffer = new byte[frame];
                    }
                }
                filled = AuditSegment.putFrame(buffer, filled, payload);
                end += frame;
                frameEnds[k - from] = end;
                leafHashes[k - from] = TreeLevels.leafHash(payload);
            }
            active.write(buffer, 0, filled);
        } catch (IOException e) {
            long i = batch.get(from).record.index();
            long last = batch.get(to - 1).record.index();
            throw failWrite(i, "writing record" + (i == last ? " " + i : "s " + i + "-" + last) + " to " + activePath, e);
        }
        activeLength = end;
        lock.writeLock().lock();
        try {
            for (int k = from; k < to; k++) {
                addWritten(batch.get(k).record, leafHashes[k - from], frameEnds[k - from]);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Puts the log in the failed state; the records below {@code written} reached the file. */
    private WriteFailure failWrite(long written, String what, IOException e) {
        recordFailure(what, e);
        return new WriteFailure(written, e);
    }

    private void recordFailure(String what, IOException e) {
        queueLock.lock();
        try {
            if (failure == null) {
                failure = new Failure(what, e);
                LOG.error("audit log {}: {} failed; the log refuses every later append until it is opened again", dir, what, e);
            }
            changed.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /** Waits until no appender leads or forces, so that nothing writes or forces. Under {@link #queueLock}. */
    private void awaitIdle() {
        while (leading || forcing) {
            changed.awaitUninterruptibly();
        }
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
     * Refuses later appends, waits until every append already numbered is forced (or the log fails) and
     * answered, then releases the files and the directory's lock. Idempotent.
     *
     * @throws StoreException when releasing a file fails; the log is closed either way
     */
    @Override
    public void close() {
        queueLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            awaitIdle();
        } finally {
            queueLock.unlock();
        }
        lock.writeLock().lock();
        try {
            IOException error = null;
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
            if (!readOnly) {
                synchronized (OPEN) {
                    OPEN.remove(dir);
                }
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
        return "FileAuditLog[" + dir + ", origin=" + origin + ", signed=" + signer.isPresent()
                + (readOnly ? ", read-only" : "") + "]";
    }

    /**
     * Points the writes and forces of later appends at {@code file} in place of the last segment: the seam
     * by which a test makes a real write (on {@code /dev/full}) or a real {@code fsync} (on {@code /dev/null})
     * fail, to check what the log does then.
     */
    void redirectWritesForTest(Path file) {
        queueLock.lock();
        try {
            awaitIdle();
            active.getFD().sync();
            RandomAccessFile previous = active;
            active = new RandomAccessFile(file.toFile(), "rw");
            activePath = file;
            previous.close();
        } catch (IOException e) {
            throw new StoreException("redirecting writes to " + file + " failed", e);
        } finally {
            queueLock.unlock();
        }
    }

    /** @return how many group-commit forces succeeded */
    long forcesForTest() {
        return forces;
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
        private boolean readOnly;

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
         * Opens the log read-only, as {@link FileAuditLog#openReadOnly} does: it never writes, never truncates,
         * takes no lock, refuses appends, and sees a writer's new records on {@link FileAuditLog#refresh()}. The
         * clock, origin and signer still serve {@link FileAuditLog#checkpoint()}; a segment size cannot be set.
         *
         * @return this
         */
        public Builder readOnly() {
            if (readOnly) {
                throw new IllegalStateException("read-only is already set");
            }
            readOnly = true;
            return this;
        }

        /**
         * Opens the log, creating the directory and its first segment when missing or empty; read-only, opens
         * an existing directory as it is.
         *
         * @return the log
         * @throws IllegalStateException when read-only and a segment size is set: only a writer uses one
         * @throws StoreException when the directory cannot be used, holds other files, or is open elsewhere
         * @throws InvalidFormatException when a segment is malformed or of a newer layout version
         * @throws IntegrityException when a segment is damaged or missing
         */
        public FileAuditLog build() {
            if (readOnly && segmentBytesSet) {
                throw new IllegalStateException("a segment size steers the writer; a read-only log never writes");
            }
            return new FileAuditLog(this);
        }
    }
}
